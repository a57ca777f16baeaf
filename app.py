"""Hotline's Chalice app: wiring only. Routes live in blueprints under chalicelib/routes."""

from __future__ import annotations

import logging
import os

from chalice import Chalice

from chalicelib.routes import (
    agent_api,
    auth_api,
    billing_api,
    chat_public,
    conversations_api,
    crm_api,
    flows_api,
    integrations_api,
    openapi,
    operator_api,
    operator_numbers_api,
    pages,
    reports_api,
    routing_admin_api,
    schedule,
    tenant_api,
    twilio_conference,
    twilio_messaging,
    twilio_shared,
    twilio_voice,
    twilio_voicemail,
    voice_api,
    voice_queue,
)

app = Chalice(app_name="hotline")
app.log.setLevel(os.environ.get("HOTLINE_LOG_LEVEL", "INFO"))
logging.basicConfig(level=os.environ.get("HOTLINE_LOG_LEVEL", "INFO"))

app.register_blueprint(twilio_voice.bp)
app.register_blueprint(twilio_messaging.bp)
app.register_blueprint(auth_api.bp)
app.register_blueprint(crm_api.bp)
app.register_blueprint(tenant_api.bp)
app.register_blueprint(flows_api.bp)
app.register_blueprint(voice_queue.bp)
app.register_blueprint(agent_api.bp)
app.register_blueprint(routing_admin_api.bp)
app.register_blueprint(schedule.bp)
app.register_blueprint(pages.bp)
app.register_blueprint(openapi.bp)
app.register_blueprint(voice_api.bp)
app.register_blueprint(twilio_conference.bp)
app.register_blueprint(reports_api.bp)
app.register_blueprint(chat_public.bp)
app.register_blueprint(conversations_api.bp)
app.register_blueprint(twilio_voicemail.bp)
app.register_blueprint(operator_api.bp)
app.register_blueprint(operator_numbers_api.bp)
app.register_blueprint(twilio_shared.bp)
app.register_blueprint(billing_api.bp)
app.register_blueprint(integrations_api.bp)
