"""Prepares a freshly started meritest (demo content loaded) for the OpenAPI fuzz run.

Signs in the demo's hr and proctor, builds campaigns in the demo organisation and in the
organisation openapi.sh creates for the fuzz, enrols and signs in candidates, and prints
`NAME=value` lines (shell-quoted): the tokens each role fuzzes with and the ids the fuzzer is
given to reach past "not found". Python standard library only.

    python3 prepare.py http://127.0.0.1:PORT DEMO_PASSWORD > fuzz.env
"""
import datetime as dt
import json
import re
import shlex
import sys
import urllib.error
import urllib.request

BASE, PASSWORD = sys.argv[1], sys.argv[2]


def call(method, path, token=None, body=None, content_type="application/json", expect=(200, 201, 204)):
    data = None
    headers = {}
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            status, raw = res.status, res.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    if status not in expect:
        sys.exit(f"prepare: {method} {path} answered {status}: {raw[:500]!r}")
    return json.loads(raw) if raw else None


def staff(role, domain="demo.meritest.id"):
    return call("POST", "/api/v1/auth/login",
                body={"email": f"{role}@{domain}", "password": PASSWORD})["token"]


def iso(delta):
    return (dt.datetime.now(dt.timezone.utc) + delta).isoformat()


hr, proctor = staff("hr"), staff("proctor")
# Signing out revokes the token it is sent with: the fuzzer signs out one of its own.
logout = staff("hr")
proctor_id = call("GET", "/api/v1/auth/me", proctor)["id"]
battery = next(b for b in call("GET", "/api/v1/batteries", hr)["batteries"] if b["code"] == "ASN-DEMO")
instruments = call("GET", "/api/v1/instruments?status=all", hr)["instruments"]
assets = set()
for inst in instruments:
    assets.update(a["name"] for a in call("GET", f"/api/v1/instruments/{inst['id']}", hr)["assets"])


def nip(serial):
    return f"19850315201012100{serial}"


def campaign(token, name, battery_id, lobby, sessions, people):
    doc = {
        "name": name, "battery": battery_id, "lobby": lobby,
        "opens_at": iso(dt.timedelta(hours=-1)), "closes_at": iso(dt.timedelta(days=30)),
        "show_score_to_candidate": True,
        "norm_rule": {"default_group": "umum", "rules": []},
        "sessions": [{"name": s, "room": "Lab", "starts_at": iso(dt.timedelta(minutes=-30)),
                      "capacity": 50, **({"proctor": proctor_id} if p else {})} for s, p in sessions],
    }
    view = call("POST", "/api/v1/campaigns", token, doc)
    csv = "nip,name,birth_date,education,job_level,session\n" + "".join(
        f"{nip(n)},Peserta {n},1985-03-15,S1,Pengawas,{s}\n" for n, s in people)
    call("POST", f"/api/v1/campaigns/{view['id']}/participants/import", token, csv, "text/csv")
    codes = {c["nip"]: c["code"] for c in call("POST", f"/api/v1/campaigns/{view['id']}/access-codes", token)["codes"]}
    view = call("GET", f"/api/v1/campaigns/{view['id']}", token)
    participants = call("GET", f"/api/v1/campaigns/{view['id']}/participants", token)["participants"]
    return view, codes, participants


def candidate(codes, serial, consent=True):
    session = call("POST", "/api/v1/candidate/login", body={"code": codes[nip(serial)], "nip": nip(serial)})
    if consent:
        call("POST", "/api/v1/candidate/consent", session["token"], {"accept": True})
    return session["token"]


# The demo organisation, fuzzed by its hr and proctor. Campaign 1: the proctor's session with
# participants 4 and 5 signed in and answering. Campaign 2: a lobby, one candidate waiting.
one, codes1, people1 = campaign(hr, "Fuzz satu", battery["id"], False, [("Sesi 1", True)],
                                [(4, "Sesi 1"), (5, "Sesi 1")])
for n in (4, 5):
    call("POST", "/api/v1/candidate/sections/0/start", candidate(codes1, n))
two, codes2, people2 = campaign(hr, "Fuzz dua", battery["id"], True, [("Lobi", True)], [(6, "Lobi")])
candidate(codes2, 6)
# Yearly records of two of the demo's people, so that lookups by NIP find some.
this_year = dt.date.today().year
call("POST", "/api/v1/performance-ratings/import", hr, "nip,year,rating\n" + "".join(
    f"{nip(n)},{y},Baik\n" for n in (4, 5) for y in (this_year - 1, this_year)), "text/csv")
call("POST", "/api/v1/discipline-records/import", hr, "nip,year,level\n" + "".join(
    f"{nip(n)},{this_year - 1},none\n" for n in (4, 5)), "text/csv")

# An organisation of its own (openapi.sh creates it with the CLI): its administrator fuzzes the
# accounts, whose disabling ends their tokens, and its campaign holds the candidates the fuzzer
# drives (1 answers, 2 finishes, 3 submits). The fuzzer learns ids from the replies it gets, so
# in the demo organisation it would disable its own hr and proctor, or reissue these
# candidates' codes (which ends their sessions); here the demo's staff cannot reach them.
own_admin = staff("admin", "fuzz.meritest.id")
for role in ("hr", "proctor", "assessor"):
    call("POST", "/api/v1/accounts", own_admin, {
        "email": f"{role}@fuzz.meritest.id", "name": f"Fuzz {role}", "role": role, "password": PASSWORD})
accounts = [a["id"] for a in call("GET", "/api/v1/accounts", own_admin)["accounts"]]
own_hr = staff("hr", "fuzz.meritest.id")
for inst in instruments:
    if inst["code"] in ("FIGURAL", "NUM-SERIES"):
        doc = call("GET", f"/api/v1/instruments/{inst['id']}/export", hr)
        call("POST", "/api/v1/instruments/import", own_hr, doc)
own_battery = call("POST", "/api/v1/batteries", own_hr, {
    "code": "FUZZ", "name": {"id": "Fuzz"},
    "sections": [{"instrument": code, "version": 1, "title": {"id": code}, "time_limit_seconds": 3600,
                  "item_order": "fixed", "shuffle_options": True, "navigation": "free"}
                 for code in ("FIGURAL", "NUM-SERIES")]})
three, codes3, _ = campaign(own_hr, "Fuzz tiga", own_battery["id"], False, [("Sesi", False)],
                            [(1, "Sesi"), (2, "Sesi"), (3, "Sesi")])
answering, finishing, submitting = (candidate(codes3, n) for n in (1, 2, 3))
section = call("POST", "/api/v1/candidate/sections/0/start", answering)
call("POST", "/api/v1/candidate/sections/0/start", submitting)
# The section's images, under the names this attempt gives them.
handles = sorted(set(re.findall(r"/assets/([A-Za-z0-9_.-]+)", json.dumps(section))))

# The demo organisation's seeded job competency standards.
standards = call("GET", "/api/v1/job-standards", hr)["standards"]

out = {
    "FUZZ_ADMIN": own_admin, "FUZZ_HR": hr, "FUZZ_PROCTOR": proctor,
    "FUZZ_LOGOUT": logout, "FUZZ_CANDIDATE": answering, "FUZZ_CANDIDATE_FINISH": finishing,
    "FUZZ_CANDIDATE_SUBMIT": submitting,
}
lists = {
    "accounts": accounts,
    "campaigns": [one["id"], two["id"]],
    "participants": sorted(p["id"] for p in people1 + people2),
    "sessions": [s["id"] for s in one["sessions"] + two["sessions"]],
    "instruments": [i["id"] for i in instruments],
    "assets": sorted(assets) or ["none"],
    "batteries": [battery["id"]],
    "items": [i["id"] for i in section["items"]],
    "choices": [o["id"] for i in section["items"] for o in i.get("options") or []] or ["none"],
    "handles": handles or ["none"],
    "standards": [s["id"] for s in standards],
    "nips": [nip(4), nip(5)],
}
for k, v in out.items():
    print(f"{k}={v}")
for k, v in lists.items():
    print(f"FUZZ_LIST_{k.upper()}={shlex.quote(json.dumps(v))}")
