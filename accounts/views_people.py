"""Accounts managed by units (issue 14 §1): the list of people in my scope, creating an account,
a person's page (name and contact, seats, lock), all through accounts.services and the
permission table (`account.manage`). Outside the manager's places a person does not exist
(404); inside without the right (a seat above one's own) the form says why (403)."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import AccountCreateForm, AccountEditForm, SeatForm
from accounts.models import Membership, Profile, Role
from accounts.permissions import GRANTABLE_ROLES, has_perm, scope_for
from core import audit, concurrency

PAGE_SIZE = 50


def _require_manager(request: HttpRequest) -> None:
    # The whole feature is hidden from who manages no account (404, like the imports).
    if not has_perm(request.user, "account.manage"):
        raise Http404


def _grantable(user) -> list[Role]:
    scope = scope_for(user)
    if scope.is_all:
        return list(Role)
    given = {
        r
        for s in scope.seats
        if s.role in GRANTABLE_ROLES and (s.admin or s.school_id)
        for r in GRANTABLE_ROLES[s.role]
    }
    return [r for r in Role if r.value in given]


def _units(user) -> list:
    """Units a manager may place seats in (current ones, provinces first)."""
    AdminUnit = apps.get_model("units", "AdminUnit")
    scope = scope_for(user)
    units = AdminUnit.objects.current()
    if not scope.is_all:
        paths = [s.unit_path for s in scope.seats if s.unit_id and s.admin]
        if not paths:
            return []
        where = Q(pk__in=[])
        for path in paths:
            where |= Q(path__startswith=path)
        units = units.filter(where)
    return list(units.order_by("depth", "sort_key")[:2000])


def _seat_form(request, data=None, initial=None, form_class=SeatForm):
    return form_class(
        data, initial=initial, roles=_grantable(request.user), units=_units(request.user)
    )


def _place(request, form) -> tuple[object | None, object | None]:
    """The unit and school a seat form names, inside the user's scope (else a form error)."""
    uid, code = form.cleaned_data.get("unit"), (form.cleaned_data.get("school") or "").strip()
    scope = scope_for(request.user)
    if uid:
        unit = scope.units().filter(uid=uid).first()
        if unit is None:
            form.add_error("unit", _("Không tìm thấy đơn vị trong phạm vi của bạn."))
        return unit, None
    school = scope.schools().filter(code__iexact=code).select_related("unit").first()
    if school is None:
        form.add_error(
            "school",
            _("Không tìm thấy trường mã «%(code)s» trong phạm vi của bạn.") % {"code": code},
        )
    return None, school


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@login_required
@require_http_methods(["GET"])
def people(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    filters = selectors.AccountFilters(
        q=request.GET.get("q", "").strip(),
        unit=request.GET.get("unit", "").strip(),
        role=request.GET.get("role", "").strip(),
        active=request.GET.get("active", "").strip(),
    )
    rows = selectors.account_list(request.user, filters)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    total = rows.count()
    items = list(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return render(
        request,
        "accounts/people.html",
        {
            "items": items,
            "total": total,
            "page": page,
            "has_next": page * PAGE_SIZE < total,
            "filters": filters,
            "roles": list(Role),
            "units": _units(request.user),
            "can_import": True,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    initial = {}
    schools = scope_for(request.user).schools_of(GRANTABLE_ROLES)
    if len(schools) == 1 and not scope_for(request.user).is_all:
        # A principal: the school is theirs.
        initial["school"] = (
            apps.get_model("schools", "School").objects.get(pk=next(iter(schools))).code
        )
    form = _seat_form(request, request.POST or None, initial, AccountCreateForm)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            unit, school = _place(request, form)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    created = services.account_create(
                        user=request.user,
                        username=data["username"],
                        full_name=data["full_name"],
                        email=data["email"],
                        phone=data["phone"],
                        position=data["position"],
                        role=data["role"],
                        unit=unit,
                        school=school,
                        is_admin=data["is_admin"],
                        base_url=_base_url(request),
                    )
                except services.AccountRefused as exc:
                    form.add_error(None, exc.reason)
                    status = 403
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    # The password is shown on this one response, never stored in clear.
                    return render(
                        request,
                        "accounts/person_created.html",
                        {"person": created.user, "created": created},
                    )
        form.mark_invalid()
    seat_fields = [form[name] for name in ("role", "unit", "school", "is_admin")]
    return render(
        request,
        "accounts/person_form.html",
        {"form": form, "seat_fields": seat_fields},
        status=status,
    )


def _person_page(
    request, person, *, form=None, seat_form=None, status=200, conflict=None, reset_error=""
):
    can_manage = has_perm(request.user, "account.manage", person)
    profile = services.profile_of(person)
    if form is None:
        form = AccountEditForm(
            initial={
                "full_name": person.get_full_name(),
                "email": person.email,
                "phone": profile.phone,
                "position": profile.position,
                "version": profile.version,
            }
        )
    seats = list(selectors.seats_visible(request.user).filter(user=person))
    others = Membership.objects.filter(user=person).count() - len(seats)
    for seat in seats:
        seat.can_remove = has_perm(request.user, "account.manage", seat)
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "profile": profile,
            "form": form,
            "seat_form": seat_form or _seat_form(request),
            "seats": seats,
            "other_seats": others,
            "can_manage": can_manage,
            "conflict": conflict,
            "reset_error": reset_error,
            "history_rows": audit.history_rows(
                person,
                related=[
                    (Membership, {"user_id": person.pk}),
                    (Profile, {"user_id": person.pk}),
                ],
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.account_get_or_404(request.user, pk)
    if request.method == "GET":
        return _person_page(request, person)
    if not has_perm(request.user, "account.manage", person):
        raise PermissionDenied
    form = AccountEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.account_update(
                user=request.user,
                person=person,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                position=data["position"],
                version=data["version"],
            )
        except concurrency.EditConflict as exc:
            profile = services.profile_of(person)
            person.refresh_from_db()
            conflict = concurrency.conflict_for(
                form,
                profile,
                message=str(exc),
                stored={"full_name": person.get_full_name(), "email": person.email},
            )
            form.mark_invalid()
            return _person_page(
                request, person, form=form, status=concurrency.CONFLICT_STATUS, conflict=conflict
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Đã lưu thông tin của %(name)s.")
                % {"name": person.get_full_name() or person.username},
            )
            return redirect("accounts:person", pk=person.pk)
    form.mark_invalid()
    return _person_page(request, person, form=form, status=400)


@login_required
@require_POST
def person_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.account_get_or_404(request.user, pk)
    if not has_perm(request.user, "account.manage", person):
        raise PermissionDenied
    active = request.POST.get("active") == "1"
    services.account_set_active(
        user=request.user, person=person, active=active, reason=request.POST.get("reason", "")
    )
    name = person.get_full_name() or person.username
    if active:
        messages.success(request, _("Đã mở lại tài khoản của %(name)s.") % {"name": name})
    else:
        messages.success(
            request,
            _("Đã khóa tài khoản của %(name)s: người này không đăng nhập được nữa.")
            % {"name": name},
        )
    return redirect("accounts:person", pk=person.pk)


@login_required
@require_POST
def person_seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.account_get_or_404(request.user, pk)
    if not has_perm(request.user, "account.manage", person):
        raise PermissionDenied
    form = _seat_form(request, request.POST)
    status = 400
    if form.is_valid():
        unit, school = _place(request, form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.membership_add(
                    user=request.user,
                    person=person,
                    role=data["role"],
                    unit=unit,
                    school=school,
                    is_admin=data["is_admin"],
                )
            except services.AccountRefused as exc:
                form.add_error(None, exc.reason)
                status = 403
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã cấp vai trò."))
                return redirect("accounts:person", pk=person.pk)
    form.mark_invalid()
    return _person_page(request, person, seat_form=form, status=status)


@login_required
@require_POST
def person_seat_remove(request: HttpRequest, pk: int, seat_id: int) -> HttpResponse:
    person = selectors.account_get_or_404(request.user, pk)
    seat = selectors.seats_visible(request.user).filter(user=person, pk=seat_id).first()
    if seat is None:
        raise Http404
    try:
        services.membership_remove(user=request.user, membership=seat)
    except services.AccountRefused as exc:
        raise PermissionDenied(exc.reason) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã thu hồi vai trò."))
    return redirect("accounts:person", pk=person.pk)


@login_required
@never_cache
@require_POST
def person_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset the person's password: `how=link` mails a set-up link (by the worker), `how=password`
    shows a generated temporary password on this one response. Both force a change at the next
    login."""
    person = selectors.account_get_or_404(request.user, pk)
    if not has_perm(request.user, "account.manage", person):
        raise PermissionDenied(services.password_reset_refusal(request.user, person))
    try:
        reset = services.account_password_reset(
            user=request.user,
            person=person,
            how=request.POST.get("how", ""),
            base_url=_base_url(request),
            request=request,
        )
    except ValidationError as exc:
        return _person_page(request, person, status=400, reset_error=" ".join(exc.messages))
    if reset.mailed_to:
        messages.success(
            request,
            _(
                "Đã đặt lại mật khẩu của %(name)s: thư kèm đường dẫn đặt mật khẩu mới sẽ được "
                "gửi đến %(email)s."
            )
            % {"name": person.get_full_name() or person.username, "email": reset.mailed_to},
        )
        return redirect("accounts:person", pk=person.pk)
    # The password is shown on this one response, never stored in clear.
    return render(request, "accounts/person_password.html", {"person": person, "reset": reset})
