"""Tenants, their users and their phone numbers."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.adapters.dynamo.base import HotlineModel


class TenantByAccount(GlobalSecondaryIndex["TenantModel"]):
    class Meta:
        index_name = "by_account"
        projection = AllProjection()

    twilio_account_sid = UnicodeAttribute(hash_key=True)


class TenantModel(HotlineModel):
    class Meta:
        base_name = "tenants"

    tenant_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    timezone = UnicodeAttribute(default="UTC")
    status = UnicodeAttribute(default="active")
    created_at = NumberAttribute()
    twilio_account_sid = UnicodeAttribute()
    twilio_auth_token = UnicodeAttribute()
    profile = JSONAttribute(default=dict)
    # What admins edit through PUT /api/tenant, one attribute each so concurrent edits of
    # different fields are separate UpdateItems; when absent, ``profile`` holds the value.
    hours = JSONAttribute(null=True)
    holidays = JSONAttribute(null=True)
    dispositions = JSONAttribute(null=True)  # the wrap-up choices (docs/conversations.md)
    voice = JSONAttribute(null=True)  # the Voice SDK's API key and TwiML App (domain/calls)
    widget_key = UnicodeAttribute(null=True)  # the web chat widget's public key (services/chat)
    # The operator's terms (domain/tenancy.py); absent means the defaults.
    valid_until = NumberAttribute(null=True)
    permissions = JSONAttribute(null=True)
    plan = JSONAttribute(null=True)
    spending_cap = NumberAttribute(null=True)
    closed_at = NumberAttribute(null=True)
    release_grace_days = NumberAttribute(null=True)
    messages = JSONAttribute(null=True)  # the tenant's words when not active
    seats = NumberAttribute(null=True)  # the operator's seat allowance (services/operator)
    by_account = TenantByAccount()


class UserByEmail(GlobalSecondaryIndex["UserModel"]):
    class Meta:
        index_name = "by_email"
        projection = AllProjection()

    email = UnicodeAttribute(hash_key=True)


class UserModel(HotlineModel):
    class Meta:
        base_name = "users"

    tenant_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    mobile = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    # Accounts (services/accounts.py, services/password_reset.py); absent means active, 0.
    active = BooleanAttribute(null=True)
    token_version = NumberAttribute(null=True)
    reset_hash = UnicodeAttribute(null=True)  # SHA-256 of the one live reset token
    reset_expires_at = NumberAttribute(null=True)
    by_email = UserByEmail()


class EmailClaimModel(HotlineModel):
    """One item per email in use: written in the same transaction as its user, so two
    signups with one email cannot both win (login still reads ``users.by_email``)."""

    class Meta:
        base_name = "emails"

    email = UnicodeAttribute(hash_key=True)
    tenant_id = UnicodeAttribute()
    user_id = UnicodeAttribute()


class NumberByTenant(GlobalSecondaryIndex["PhoneNumberModel"]):
    class Meta:
        index_name = "by_tenant"
        projection = AllProjection()

    tenant_id = UnicodeAttribute(hash_key=True)


class PhoneNumberModel(HotlineModel):
    """The carrier's entry point: keyed by the E.164 number, which names its tenants."""

    class Meta:
        base_name = "numbers"

    number = UnicodeAttribute(hash_key=True)
    tenant_id = UnicodeAttribute()
    flow_id = UnicodeAttribute(null=True)
    sms_flow_id = UnicodeAttribute(null=True)
    shared_tenants = ListAttribute(of=UnicodeAttribute, default=list)
    friendly_name = UnicodeAttribute(null=True)
    # A shared number's menu: [{"tenant_id", "digit", "number", "name"}] (docs/shared-numbers.md)
    shared_menu = JSONAttribute(null=True)
    greeting = UnicodeAttribute(null=True)
    by_tenant = NumberByTenant()
