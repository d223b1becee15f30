"""Writes of the members app, one module per domain: membership (the roster and its dated
versions), development (the 25 steps of new members) and honours (commendations, medals), with the
checks they share. This is their API; the rules members needs everywhere (probation) live in
members.rules."""

from members.services.checks import (
    DUPLICATE_MEMBER,
    DUPLICATE_PROSPECT,
    confirmation_errors,
    identity_errors,
    member_errors,
    new_member,
)
from members.services.development import (
    deletable_step,
    prospect_admit,
    prospect_correct_step,
    prospect_create,
    prospect_delete_step,
    prospect_promote,
    prospect_record_step,
    prospect_withdraw,
    step_delete_refusal,
)
from members.services.honours import commendation_create, medal_award
from members.services.membership import (
    EDITABLE_FIELDS,
    appointment_holders_store,
    appointment_with_holder,
    member_change_category,
    member_confirm,
    member_create,
    member_edit,
    member_extend_probation,
    member_leave,
    member_move,
    member_transfer_in,
    member_transfer_out,
)

__all__ = [
    "DUPLICATE_MEMBER",
    "DUPLICATE_PROSPECT",
    "EDITABLE_FIELDS",
    "appointment_holders_store",
    "appointment_with_holder",
    "commendation_create",
    "confirmation_errors",
    "identity_errors",
    "medal_award",
    "member_change_category",
    "member_confirm",
    "member_create",
    "member_edit",
    "member_errors",
    "member_extend_probation",
    "member_leave",
    "member_move",
    "member_transfer_in",
    "member_transfer_out",
    "new_member",
    "prospect_admit",
    "prospect_correct_step",
    "prospect_create",
    "prospect_delete_step",
    "deletable_step",
    "step_delete_refusal",
    "prospect_promote",
    "prospect_record_step",
    "prospect_withdraw",
]
