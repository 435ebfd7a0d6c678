"""Login for citizens whose sign-up is still being verified.

An unverified account's username is not the CCCD (the CCCD belongs to whoever proves they hold it),
so the person logs in with the CCCD they typed and their password: this backend looks the CCCD up
among open claims and checks the password of each (a handful at most).
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class PendingCitizenBackend(ModelBackend):
    MAX_CLAIMS = 3

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password or len(username) != 12 or not username.isdigit():
            return None
        from .models import AccountClaim, ClaimStatus

        claims = (
            AccountClaim.objects.filter(
                cccd=username, status__in=[ClaimStatus.PENDING, ClaimStatus.REJECTED], user__is_active=True
            )
            .select_related("user")
            .order_by("-created_at")[: self.MAX_CLAIMS]
        )
        for claim in claims:
            if claim.user.check_password(password) and self.user_can_authenticate(claim.user):
                return claim.user
        return None
