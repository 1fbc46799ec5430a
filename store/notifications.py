"""Notification kinds of the store app (X-3): people choose which of them also come by e-mail."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from marketplace.notifications import register_kind

# Butikken: take into use (STO-5) ----------------------------------------------------------------------
ADOPTION_REQUESTED = register_kind("store.adoption_requested", _("Requests to take our products into use"))
ADOPTION_ANSWERED = register_kind("store.adoption_answered", _("Vendors' answers to our adoption requests"))
ADOPTION_STARTED = register_kind("store.adoption_started", _("Adoptions that start"), email_default=False)
ADOPTION_ENDED = register_kind("store.adoption_ended", _("Adoptions that end or are withdrawn"))

# Felleskjøp: joint procurement (PRO-1 … PRO-6) ----------------------------------------------------------
PROCUREMENT_ANNOUNCED = register_kind("store.procurement_announced", _("New joint procurements open for intent and questions"))
PROCUREMENT_PHASE = register_kind("store.procurement_phase", _("Phase changes in joint procurements I take part in"))
PROCUREMENT_AWARD = register_kind("store.procurement_award", _("Awards in joint procurements"))
PROCUREMENT_PARTICIPATION = register_kind("store.procurement_participation", _("Participation in joint procurements we lead"))
PROCUREMENT_QUESTION = register_kind("store.procurement_question", _("Questions from vendors in joint procurements we lead"))
PROCUREMENT_ANSWERS = register_kind("store.procurement_answers", _("Answers published in the market dialogue of joint procurements"))
PROCUREMENT_OFFER = register_kind("store.procurement_offer", _("Receipts for our offers in joint procurements"))
PROCUREMENT_CALL_OFF = register_kind("store.procurement_call_off", _("Call-offs under joint-procurement agreements"))
