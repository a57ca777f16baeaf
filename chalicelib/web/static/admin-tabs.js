// The admin page's section tabs: links to the groups below (every group stays on the
// page), with the group in view marked as current while the page scrolls.
export function setUpTabs(nav) {
  if (!nav) return;
  const links = [...nav.querySelectorAll("a[href^='#']")];
  const groups = links.map((link) => document.getElementById(link.getAttribute("href").slice(1))).filter(Boolean);
  const mark = (id) => {
    for (const link of links) {
      if (link.getAttribute("href") === `#${id}`) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  };
  const inView = () => {
    const top = nav.getBoundingClientRect().bottom + 80; // a group whose title is near the tabs
    let here = groups[0];
    for (const group of groups) if (group.getBoundingClientRect().top <= top) here = group;
    if (window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) here = groups[groups.length - 1];
    if (here) mark(here.id);
  };
  for (const link of links) {
    link.addEventListener("click", () => mark(link.getAttribute("href").slice(1)));
  }
  let pending = false;
  window.addEventListener("scroll", () => {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(() => { pending = false; inView(); });
  }, { passive: true });
  inView();
}
