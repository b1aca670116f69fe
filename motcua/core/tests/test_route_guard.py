"""Every address the site answers is guarded, or listed here as public with its reason.

The routes come from the URL resolver and the API's OpenAPI schema (routes.py), so a new page or
operation is checked the day it is added: an anonymous visitor is sent to a sign-in page (401 on the
API), someone outside the object's scope gets 404 and changes nothing, and a form without its CSRF token
is refused. Adding a route means passing these tests or writing it into one of the lists below.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from motcua.core.tests.guard_world import World, world  # noqa: F401 (the module's fixture)
from motcua.core.tests.routes import Route, api_pattern_paths, api_routes, body_of, page_routes
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.feedback.models import Feedback
from motcua.payments.models import Payment

PAGES = page_routes()
APIS = api_routes()
ROUTES = {r.id: r for r in (*PAGES, *APIS)}

# Routes anyone may open, with the reason. Everything else needs a signed-in user.
PUBLIC: dict[str, str] = {
    "login": "the staff sign-in page",
    "logout": "signing out needs no account (POST only; it ends whatever session there is)",
    "set_language": "the language switch shows and changes nothing but the language cookie",
    "admin:login": "the admin's sign-in page",
    "admin:logout": "Django's admin sends a visitor without a session to its index, which asks to sign in",
    "api:openapi-json": "the API's description is public documentation",
    "api:openapi-view": "the API's documentation page",
    "api:api-root": "ninja's root address; it shows nothing",
    "signing:verify": "anyone may check a signed PDF they hold (Decree 30/2020 e-documents)",
    "feedback:submit": "anyone may send feedback without an account (Decree 20/2008)",
    "feedback:sent": "the acknowledgement after sending; shows the code only with its secret",
    "feedback:follow": "the form to follow a feedback by code and secret",
    "feedback:follow_code": "following a feedback needs its secret; nothing personal is shown",
    "feedback:published": "answers the agencies chose to publish, without personal data",
    "feedback:rate_public": "rating from the look-up needs the dossier's secret",
    "payments:pay": "paying needs the citizen's account or the dossier's look-up secret",
    "payments:returned": "where the gateway sends the citizen back; the order id is unguessable",
    "payments:demo_gateway": "the built-in test gateway, 404 unless DEBUG with the demo gateway",
    "portal:home": "the citizen portal's front page",
    "portal:search": "the public catalogue of procedures",
    "portal:procedure": "one procedure of the public catalogue",
    "portal:blank_form": "the blank forms of the public catalogue",
    "portal:lookup": "the public look-up form (code and secret)",
    "portal:lookup_dossier": "the public look-up: status only, with the secret, no personal data",
    "portal:sign_in": "the citizen sign-in page",
    "portal:sign_up": "the citizen sign-up page",
    "portal:verify": "entering the one-time code of a sign-in or sign-up",
    "portal:resend_code": "sending the one-time code again (rate-limited)",
    "GET /api/v1/agencies": "the public directory of agencies",
    "GET /api/v1/agencies/{code}": "one agency of the public directory",
    "GET /api/v1/service-points": "the public directory of receiving points",
    "GET /api/v1/service-points/{code}": "one receiving point of the public directory",
    "GET /api/v1/procedures": "the public catalogue of procedures",
    "GET /api/v1/procedures/{code}": "one procedure of the public catalogue",
    "GET /api/v1/procedures/{code}/versions": "a procedure's published versions",
    "GET /api/v1/fields": "the public list of fields of procedures",
    "GET /api/v1/calendar/due": "computing a due moment from the public working-day calendar",
    "GET /api/v1/calendar/lunar": "the lunar calendar conversion",
    "GET /api/v1/calendar/{year}": "a year's public working-day calendar",
    "GET /api/v1/lookup/{code}": "the public look-up, with the secret, no personal data",
    "POST /api/v1/feedback": "anyone may send feedback without an account",
    "GET /api/v1/feedback/track/{code}": "following a feedback with its secret",
    "POST /api/v1/feedback/track/{code}/reaction": "the sender reacts to the answer, with the secret",
    "GET /api/v1/feedback/published": "answers the agencies chose to publish",
    "GET /api/v1/feedback/ratings/scheme": "the public questions of the satisfaction rating",
    "POST /api/v1/feedback/ratings/{code}": "rating an ended dossier with its secret or own account",
    "POST /api/v1/payments/online/{code}": "starting an online payment with the look-up secret",
    "POST /api/v1/payments/callback": "the payment gateway's notice, proved by its HMAC signature",
    "POST /api/v1/signatures/verify": "anyone may check a signed PDF they hold",
    "POST /api/v1/sms/inbound": "the SMS gateway's inbound messages, proved by its shared key",
}

# Page routes deliberately without a CSRF check (none today: the gateway's notice is an API operation).
CSRF_EXEMPT: dict[str, str] = {}
# API writes that carry no browser session, so no CSRF token either.
API_CSRF_EXEMPT: dict[str, str] = {
    "POST /api/v1/payments/callback": "server-to-server notice signed with the gateway's key",
    "POST /api/v1/sms/inbound": "server-to-server, proved by the shared X-Api-Key",
}

DOSSIER_OUT = ("motcua.thachha", "cv.dkkd", "stranger")  # another desk, another agency, a citizen
FILED_OUT = ("motcua.thachha", "cv.dkkd", "citizen")  # on staff pages even the applicant is a stranger
PAID_OUT = ("motcua.thanhsen", "cv.tuphap.thanhsen", "stranger")
OWN_OUT = ("stranger", "motcua.thanhsen")  # another citizen; staff are not the applicant
FEEDBACK_OUT = ("cv.dkkd", "motcua.thanhsen", "stranger")  # another agency; counter officers; a citizen

# Routes of one object: (the object's values in guard_world, who may open it, who must get 404).
OBJECTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    **{
        f"dossiers:{name}": ("dossier", "motcua.thanhsen", DOSSIER_OUT)
        for name in ("intake_done", "dossier", "dossier_timeline", "dossier_file", "file_preview", "form_pdf")
    },
    "dossiers:dossier_action": ("dossier", "cv.tuphap.thanhsen", DOSSIER_OUT),
    "dossiers:online_detail": ("filed", "motcua.thanhsen", FILED_OUT),
    "signing:sign_file": ("dossier", "motcua.thanhsen", DOSSIER_OUT),
    "signing:sign_scans": ("dossier", "motcua.thanhsen", DOSSIER_OUT),
    "feedback:counter_screen": ("dossier", "motcua.thanhsen", DOSSIER_OUT),
    "feedback:rate_own": ("own", "citizen", OWN_OUT),
    **{f"feedback:{n}": ("feedback", "ct.thanhsen", FEEDBACK_OUT) for n in ("detail", "act", "file")},
    **{
        f"payments:{name}": ("paid", "motcua.tuphap", PAID_OUT)
        for name in (
            "collect",
            "exempt",
            "refund",
            "refund_online",
            "resend_refund",
            "check_gateway",
            "receipt",
        )
    },
    "payments:own_receipt": ("own", "citizen", OWN_OUT),
    "portal:filing_done": ("filed", "citizen", ("stranger", "motcua.thanhsen")),
    "portal:my_document": ("own_document", "citizen", ("stranger",)),
    **{
        f"portal:{name}": ("own", "citizen", OWN_OUT)
        for name in ("dossier", "dossier_supplement", "dossier_withdraw", "dossier_stop", "dossier_receipt")
    },
    "portal:dossier_result": ("own", "citizen", OWN_OUT),
    "GET /api/v1/applicants/me/documents/{file_id}": ("own_document", "citizen", ("stranger",)),
    "GET /api/v1/feedback/ratings/{code}": ("own", "citizen", ("stranger", "motcua.thachha", "cv.dkkd")),
}
# Who acts on a dossier through the API: the desk decides on one filed online, the applicant completes
# or withdraws her own, the specialist of the active step does the steps' work, the desk the rest.
API_DOSSIER_ACTORS = {
    **{
        a: ("filed", "motcua.thanhsen", FILED_OUT)
        for a in ("accept", "request-completion", "refuse-submission")
    },
    "receive-completed": ("filed", "motcua.thanhsen", FILED_OUT),
    **{a: ("filed", "citizen", DOSSIER_OUT) for a in ("complete-submission", "withdraw")},
    **{
        a: ("dossier", "cv.tuphap.thanhsen", DOSSIER_OUT)
        for a in (
            "take",
            "assign",
            "complete",
            "return",
            "supplement-request",
            "supplement",
            "apology",
            "refuse",
        )
    },
}
for route in APIS:
    if route.template.startswith("/api/v1/dossiers/{code}"):
        action = route.template.rsplit("/", 1)[-1]
        OBJECTS[route.id] = API_DOSSIER_ACTORS.get(action, ("dossier", "motcua.thanhsen", DOSSIER_OUT))
    elif route.template.startswith("/api/v1/payments/dossiers/{code}"):
        OBJECTS[route.id] = ("paid", "motcua.tuphap", PAID_OUT)
    elif route.template.startswith("/api/v1/feedback/items/{code}"):
        OBJECTS[route.id] = ("feedback", "ct.thanhsen", FEEDBACK_OUT)

# Routes whose owner cannot be shown to reach them in the world's state, with the reason.
NO_OWNER_CONTROL: dict[str, str] = {
    "POST /api/v1/dossiers/{code}/supplement": "open only while a dossier waits for a supplement",
}

# Guarded routes with parameters that name no object of someone's scope, with the reason.
UNSCOPED: dict[str, str] = {
    "dossiers:procedure_panel": "a procedure of the public catalogue, shown to the desk",
    "dossiers:digitised_file": "a signed token the desk got from its own search (test_views_digitised.py)",
    "portal:filing": "a public procedure; the draft is the citizen's own, kept in her session",
    "portal:filing_step": "the citizen's own draft",
    "portal:filing_upload": "the citizen's own draft",
    "portal:filing_remove": "a file of the citizen's own draft",
    "portal:filing_reuse": "the citizen's own draft and documents",
    "portal:filing_unreuse": "the citizen's own draft",
    "portal:filing_submit": "the citizen's own draft",
}
# Values for the parameters of routes that name no object of the guard's world.
DEFAULTS: dict[str, Any] = {
    "code": "2.002621",
    "position": 0,
    "step": 1,
    "token": "khong-co",
    "sha256": "0" * 64,
    "dossier": "khong-co",
    "order_id": "khong-co",
    "year": 2025,
    "object_id": 1,
    "id": 1,
    "content_type_id": 1,
    "app_label": "auth",
    "url": "khong-co/",
}
STAFF_PREFIXES = ("/can-bo/",)
CITIZEN_PREFIXES = ("/ca-nhan/", "/nop-truc-tuyen/", "/api/v1/applicants/me/")


def _ids(routes: list[Route]) -> list[str]:
    return [r.id for r in routes]


GUARDED_PAGES = [r for r in PAGES if r.id not in PUBLIC and r.kind == "page"]
# The admin's pages are Django's own, one rule for all: checked in one test each, failures named.
ADMIN_PAGES = [r for r in PAGES if r.id not in PUBLIC and r.kind == "admin"]
GUARDED_APIS = [r for r in APIS if r.id not in PUBLIC]
OBJECT_ROUTES = [ROUTES[name] for name in sorted(OBJECTS)]
CSRF_PAGES = [r for r in PAGES if r.id not in CSRF_EXEMPT and r.kind == "page"]
API_WRITES = [r for r in GUARDED_APIS if r.method != "GET" and r.id not in API_CSRF_EXEMPT]


def url_of(route: Route, world: World) -> str:  # noqa: F811
    target = OBJECTS.get(route.id)
    values = {**DEFAULTS, **(world.values[target[0]] if target else {})}
    return route.url(values)


def client_of(world: World, persona: str | None, *, csrf: bool = False) -> Client:  # noqa: F811
    client = Client(enforce_csrf_checks=csrf)
    if persona is not None:
        client.force_login(world.people[persona])
    return client


def send(client: Client, route: Route, url: str, method: str, body: Any = None) -> Any:
    if route.kind == "api":
        return client.generic(method, url, _json(body), content_type="application/json")
    return client.get(url) if method == "GET" else client.post(url, body or {})


def _json(body: Any) -> str:
    return json.dumps(body if body is not None else {})


def sign_in_pages() -> set[str]:
    return {reverse("login"), reverse("portal:sign_in"), reverse("admin:login")}


def is_sign_in_redirect(response: Any, route: Route) -> bool:
    if response.status_code != 302:
        return False
    target = urlsplit(response["Location"])
    expected = reverse("admin:login") if route.kind == "admin" else None
    return (
        target.path in sign_in_pages()
        and (expected is None or target.path == expected)
        and "next=" in (target.query)
    )


def snapshot(world: World) -> tuple:  # noqa: F811
    """What a refused request must not change."""
    codes = [world.values[k]["code"] for k in ("dossier", "filed", "own", "paid")]
    versions = dict(Dossier.objects.filter(code__in=codes).values_list("code", "version"))
    feedback = Feedback.objects.values_list("code", "version", "status", "assignee_id")
    return versions, list(feedback), DossierEvent.objects.count(), Payment.objects.count()


# The lists stay current: they name only routes that exist, and every route is in the right list.


def test_the_schema_lists_every_operation_the_api_serves():
    assert api_pattern_paths() == {r.template for r in APIS}


def test_the_lists_name_only_routes_that_exist():
    for listed in (PUBLIC, CSRF_EXEMPT, API_CSRF_EXEMPT, OBJECTS, UNSCOPED, NO_OWNER_CONTROL):
        assert set(listed) - set(ROUTES) == set()
    assert set(OBJECTS) & set(PUBLIC) == set()
    assert set(UNSCOPED) & (set(PUBLIC) | set(OBJECTS)) == set()


def test_every_guarded_route_with_parameters_says_whose_object_it_names():
    unclassified = [
        r.id
        for r in (*GUARDED_PAGES, *GUARDED_APIS)
        if r.params and r.kind != "admin" and r.id not in OBJECTS and r.id not in UNSCOPED
    ]
    assert unclassified == []


# Anonymous visitors.


def anonymous_fault(route: Route, world: World) -> str | None:  # noqa: F811
    """What is wrong with the anonymous answers to GET and POST at the route, if anything."""
    url = url_of(route, world)
    answers = {method: send(Client(), route, url, method) for method in ("GET", "POST")}
    # A view serving one method may refuse the other before asking who calls (405 shows nothing).
    redirected = [m for m, r in answers.items() if is_sign_in_redirect(r, route)]
    others = {m: r.status_code for m, r in answers.items() if m not in redirected and r.status_code != 405}
    if not redirected or others:
        return f"{url}: {others or 'no redirect to a sign-in page'}"
    return None


@pytest.mark.parametrize("name", _ids(GUARDED_PAGES))
def test_an_anonymous_visitor_is_sent_to_sign_in(name, world, db):  # noqa: F811
    before = snapshot(world)

    assert anonymous_fault(ROUTES[name], world) is None
    assert snapshot(world) == before


def test_every_admin_page_sends_an_anonymous_visitor_to_sign_in(world, db):  # noqa: F811
    faults = {r.id: anonymous_fault(r, world) for r in ADMIN_PAGES}

    assert len(ADMIN_PAGES) > 100  # the walk found the admin's pages
    assert {name: fault for name, fault in faults.items() if fault} == {}


@pytest.mark.parametrize("name", _ids(GUARDED_APIS))
def test_an_anonymous_caller_of_the_api_gets_401(name, world, db):  # noqa: F811
    route = ROUTES[name]
    before = snapshot(world)

    response = send(Client(), route, url_of(route, world), route.method, body_of(route))

    assert response.status_code == 401, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["code"] == "not_authenticated"
    assert snapshot(world) == before


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_a_public_route_answers_an_anonymous_visitor(name, world, db):  # noqa: F811
    route = ROUTES[name]
    method = route.method or ("POST" if name == "logout" else "GET")

    response = send(Client(), route, url_of(route, world), method, body_of(route))

    assert response.status_code < 500
    assert not is_sign_in_redirect(response, route), "listed as public but asks to sign in"
    if response.status_code == 401:  # a gateway's own key check may refuse; the sign-in may not
        assert response.json()["error"]["code"] != "not_authenticated"


# Someone outside the object's scope: 404, and nothing changes.


def _method_of(route: Route, client: Client, url: str) -> str:
    if route.kind == "api":
        return route.method
    return "POST" if client.get(url).status_code == 405 else "GET"


@pytest.mark.parametrize("name", _ids(OBJECT_ROUTES))
def test_an_object_route_answers_not_found_outside_its_scope(name, world, db):  # noqa: F811
    route = ROUTES[name]
    _target, owner, outsiders = OBJECTS[name]
    url = url_of(route, world)
    body = body_of(route)
    method = _method_of(route, client_of(world, owner), url)

    for persona in outsiders:
        before = snapshot(world)
        response = send(client_of(world, persona), route, url, method, body)
        assert response.status_code == 404, f"{persona} {method} {url}: {response.status_code}"
        assert snapshot(world) == before, f"{persona} {method} {url} changed something"
        if route.kind == "api":
            assert set(response.json()["error"]) == {"code", "message", "fields"}

    # The same address is found by the one it belongs to: the 404s above are about who asks. (A 403
    # is hers to get: she sees the object, her role may not do that to it.)
    if name in NO_OWNER_CONTROL:
        return
    response = send(client_of(world, owner), route, url, method, body)
    assert response.status_code not in (401, 404), f"{owner} {method} {url}: {response.status_code}"


# CSRF: a form sent without its token is refused before the view, even for the right user.


def _persona(route: Route) -> str | None:
    if route.id in OBJECTS:
        return OBJECTS[route.id][1]
    if route.id in PUBLIC:
        return None
    if route.kind == "admin":
        return "root"
    path = route.template
    return "citizen" if path.startswith(CITIZEN_PREFIXES) else "motcua.thanhsen"


def refused_for_csrf(route: Route, world: World, caplog: pytest.LogCaptureFixture) -> bool:  # noqa: F811
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client_of(world, _persona(route), csrf=True).post(url_of(route, world), {})
    return response.status_code == 403 and any(r.name == "django.security.csrf" for r in caplog.records)


@pytest.mark.parametrize("name", _ids(CSRF_PAGES))
def test_a_post_without_its_csrf_token_is_refused(name, world, db, caplog):  # noqa: F811
    before = snapshot(world)

    assert refused_for_csrf(ROUTES[name], world, caplog)
    assert snapshot(world) == before


def test_every_admin_form_refuses_a_post_without_its_csrf_token(world, db, caplog):  # noqa: F811
    accepted = [
        r.id for r in ADMIN_PAGES if r.id not in CSRF_EXEMPT and not refused_for_csrf(r, world, caplog)
    ]

    assert accepted == []


@pytest.mark.parametrize("name", _ids(API_WRITES))
def test_an_api_write_from_a_session_without_its_csrf_token_is_refused(name, world, db):  # noqa: F811
    route = ROUTES[name]
    before = snapshot(world)

    client = client_of(world, _persona(route), csrf=True)
    response = send(client, route, url_of(route, world), route.method, body_of(route))

    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "csrf_failed"
    assert snapshot(world) == before
