"""Collaboration (INN-4), involvement entries (INN-5) and comments (INN-10) in the API."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from marketplace.acting import acting_organisation

from .. import selectors, services
from ..models import Collaboration, Comment, InvolvementEntry
from . import serializers as s
from .filters import CollaborationFilter, CommentFilter, InvolvementFilter


class CollaborationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests to join core teams and invitations into them (INN-4), of and to the acting organisation."""

    serializer_class = s.NeedCollaborationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = CollaborationFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Collaboration.objects.none()
        return selectors.collaborations_for(user=self.request.user)

    @extend_schema(request=s.NeedCollaborationInputSerializer, responses={201: s.NeedCollaborationSerializer})
    def create(self, request):
        data = s.NeedCollaborationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        collaboration = services.collaboration_request(
            actor=request.user, need_id=data.validated_data["need"], message=data.validated_data["message"]
        )
        return Response(s.NeedCollaborationSerializer(collaboration).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.NeedInvitationInputSerializer, responses={201: s.NeedCollaborationSerializer})
    @action(detail=False, methods=["post"])
    def invite(self, request):
        """Invite an organisation into a need's core team (owner organisation); it accepts or declines."""
        data = s.NeedInvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        collaboration = services.collaboration_invite(
            actor=request.user,
            need_id=data.validated_data["need"],
            organisation_id=data.validated_data["organisation"],
            message=data.validated_data["message"],
        )
        return Response(s.NeedCollaborationSerializer(collaboration).data, status=status.HTTP_201_CREATED)

    def _act(self, func, pk, *, with_reason: bool = True):
        kwargs = {}
        if with_reason:
            data = s.NeedDecisionInputSerializer(data=self.request.data)
            data.is_valid(raise_exception=True)
            kwargs["reason"] = data.validated_data["reason"]
        collaboration = func(actor=self.request.user, collaboration_id=int(pk), **kwargs)
        return Response(s.NeedCollaborationSerializer(collaboration).data)

    @extend_schema(request=s.NeedDecisionInputSerializer, responses=s.NeedCollaborationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Take the asking organisation into the core team (owner organisation)."""
        return self._act(services.collaboration_accept, pk)

    @extend_schema(request=s.NeedDecisionInputSerializer, responses=s.NeedCollaborationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline the request (owner organisation)."""
        return self._act(services.collaboration_decline, pk)

    @extend_schema(request=None, responses=s.NeedCollaborationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw an unanswered request (the asking organisation)."""
        return self._act(services.collaboration_withdraw, pk, with_reason=False)

    @extend_schema(request=s.NeedDecisionInputSerializer, responses=s.NeedCollaborationSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Leave the core team, or take an organisation out of it (owner)."""
        return self._act(services.collaboration_end, pk)


class InvolvementEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The involvement log (INN-5) of needs whose core team the acting organisation is in."""

    serializer_class = s.NeedInvolvementEntrySerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = InvolvementFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InvolvementEntry.objects.none()
        organisation = acting_organisation(self.request.user)
        qs = InvolvementEntry.objects.select_related("organisation").order_by("-date", "-id")
        if organisation is None:
            return qs.none()
        if organisation.is_operator:
            return qs
        collaborating = Collaboration.objects.filter(
            organisation=organisation, status=Collaboration.Status.ACCEPTED
        )
        return qs.filter(Q(need__owner=organisation) | Q(need_id__in=collaborating.values("need_id")))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._attach_documents(page)
        return page

    @staticmethod
    def _attach_documents(entries) -> None:
        from collections import defaultdict

        from django.contrib.contenttypes.models import ContentType

        from marketplace.models import Document

        by_entry = defaultdict(list)
        for document in Document.objects.filter(
            owner_type=ContentType.objects.get_for_model(InvolvementEntry),
            owner_id__in=[e.pk for e in entries],
        ):
            by_entry[document.owner_id].append(document)
        for entry in entries:
            entry.documents = by_entry.get(entry.pk, [])

    def retrieve(self, request, pk=None):
        entry = self.get_object()
        self._attach_documents([entry])
        return Response(self.get_serializer(entry).data)

    @extend_schema(
        request={
            "application/json": s.NeedInvolvementInputSerializer,
            "multipart/form-data": s.NeedInvolvementInputSerializer,
        },
        responses={201: s.NeedInvolvementEntrySerializer},
    )
    def create(self, request):
        data = s.NeedInvolvementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entry = services.involvement_add(
            actor=request.user,
            need_id=values["need"],
            step=values["step"],
            date=values["date"],
            participants=values["participants"],
            notes=values["notes"],
            upload=values.get("file"),
            document_title=values.get("document_title", ""),
        )
        self._attach_documents([entry])
        return Response(s.NeedInvolvementEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The discussion on needs the actor may see (INN-10)."""

    serializer_class = s.NeedCommentSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_class = CommentFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Comment.objects.none()
        visible = selectors.visible_needs(self.request.user).values("pk")
        return (
            Comment.objects.filter(need_id__in=visible)
            .select_related("author", "organisation")
            .order_by("created_at", "id")
        )

    @extend_schema(request=s.NeedCommentInputSerializer, responses={201: s.NeedCommentSerializer})
    def create(self, request):
        data = s.NeedCommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_add(
            actor=request.user, need_id=data.validated_data["need"], body=data.validated_data["body"]
        )
        return Response(s.NeedCommentSerializer(comment).data, status=status.HTTP_201_CREATED)
