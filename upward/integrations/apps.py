from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "upward.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from upward.core import navigation
        from upward.evidence.models import Campaign
        from upward.matches.services import publish
        from upward.pairs import services as pair_services
        from upward.privacy import registry
        from upward.running import services as running_services

        from . import events, privacy

        if events.on_pair_formed not in pair_services.FORMED_HOOKS:
            pair_services.FORMED_HOOKS.append(events.on_pair_formed)
        if events.on_pair_state not in pair_services.STATE_HOOKS:
            pair_services.STATE_HOOKS.append(events.on_pair_state)
        if events.on_proposals_sent not in publish.PUBLISHED_HOOKS:
            publish.PUBLISHED_HOOKS.append(events.on_proposals_sent)
        if events.on_meeting_held not in running_services.HELD_HOOKS:
            running_services.HELD_HOOKS.append(events.on_meeting_held)
        post_save.connect(
            events.on_campaign_saved, sender=Campaign, dispatch_uid="integrations-survey-opened"
        )

        navigation.register(
            "API tokens", "integrations:tokens", lambda user: user.is_authenticated, order=90
        )
        registry.register_exporter("integrations", privacy.export_integrations, order=114)
        registry.register_eraser("integrations", privacy.erase_integrations, order=70)
        registry.register_retention("integrations", privacy.purge_integrations, order=49)
