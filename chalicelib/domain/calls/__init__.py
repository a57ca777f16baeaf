"""Agent calls as conferences: the pure call-control state machine (``state``), its stored
form and the desktop's view of it (``documents``)."""
