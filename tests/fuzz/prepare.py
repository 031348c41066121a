"""Prepares a freshly started meritest (demo content loaded) for the OpenAPI fuzz run.

Signs in the demo staff, builds two campaigns (one without a lobby, one with), enrols and signs in
candidates, and prints `NAME=value` lines (shell-quoted): the tokens each role fuzzes with and the ids the
fuzzer is given to reach past "not found". Python standard library only.

    python3 prepare.py http://127.0.0.1:PORT DEMO_PASSWORD > fuzz.env
"""
import datetime as dt
import json
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


def staff(role):
    return call("POST", "/api/v1/auth/login",
                body={"email": f"{role}@demo.meritest.id", "password": PASSWORD})["token"]


def iso(delta):
    return (dt.datetime.now(dt.timezone.utc) + delta).isoformat()


admin, hr, proctor = (staff(r) for r in ("admin", "hr", "proctor"))
# Signing out revokes the token it is sent with: the fuzzer signs out one of its own.
logout = staff("hr")
proctor_id = call("GET", "/api/v1/auth/me", proctor)["id"]
accounts = [a["id"] for a in call("GET", "/api/v1/accounts", admin)["accounts"]]
battery = next(b for b in call("GET", "/api/v1/batteries", hr)["batteries"] if b["code"] == "ASN-DEMO")
instruments = call("GET", "/api/v1/instruments?status=all", hr)["instruments"]
assets = set()
for inst in instruments:
    assets.update(a["name"] for a in call("GET", f"/api/v1/instruments/{inst['id']}", hr)["assets"])


def nip(serial):
    return f"19850315201012100{serial}"


def campaign(name, lobby, sessions, people):
    doc = {
        "name": name, "battery": battery["id"], "lobby": lobby,
        "opens_at": iso(dt.timedelta(hours=-1)), "closes_at": iso(dt.timedelta(days=30)),
        "show_score_to_candidate": True,
        "norm_rule": {"default_group": "umum", "rules": []},
        "sessions": [{"name": s, "room": "Lab", "starts_at": iso(dt.timedelta(minutes=-30)),
                      "capacity": 50, **({"proctor": proctor_id} if p else {})} for s, p in sessions],
    }
    view = call("POST", "/api/v1/campaigns", hr, doc)
    csv = "nip,name,birth_date,education,job_level,session\n" + "".join(
        f"{nip(n)},Peserta {n},1985-03-15,S1,Pengawas,{s}\n" for n, s in people)
    call("POST", f"/api/v1/campaigns/{view['id']}/participants/import", hr, csv, "text/csv")
    codes = {c["nip"]: c["code"] for c in call("POST", f"/api/v1/campaigns/{view['id']}/access-codes", hr)["codes"]}
    view = call("GET", f"/api/v1/campaigns/{view['id']}", hr)
    participants = call("GET", f"/api/v1/campaigns/{view['id']}/participants", hr)["participants"]
    return view, codes, participants


def candidate(codes, serial, consent=True):
    session = call("POST", "/api/v1/candidate/login", body={"code": codes[nip(serial)], "nip": nip(serial)})
    if consent:
        call("POST", "/api/v1/candidate/consent", session["token"], {"accept": True})
    return session["token"]


# Campaign 1: the proctor's session "Sesi 1" (participants 4 and 5, signed in) and "Sesi 2",
# which nobody proctors, for the candidates the fuzzer drives (1: answers, 2: finishes,
# 3: submits), so that a proctor's action fuzzed on the room does not end their attempts.
one, codes1, people1 = campaign("Fuzz satu", False, [("Sesi 1", True), ("Sesi 2", False)],
                                [(1, "Sesi 2"), (2, "Sesi 2"), (3, "Sesi 2"), (4, "Sesi 1"), (5, "Sesi 1")])
answering, finishing, submitting = (candidate(codes1, n) for n in (1, 2, 3))
for n in (4, 5):
    call("POST", "/api/v1/candidate/sections/0/start", candidate(codes1, n))
section = call("POST", "/api/v1/candidate/sections/0/start", answering)
call("POST", "/api/v1/candidate/sections/0/start", submitting)
# Campaign 2: a lobby, with one candidate waiting in it.
two, codes2, people2 = campaign("Fuzz dua", True, [("Lobi", True)], [(6, "Lobi")])
candidate(codes2, 6)

by_nip = {p["nip"]: p["id"] for p in people1 + people2}
driven = {by_nip[nip(n)] for n in (1, 2, 3)}
out = {
    "FUZZ_ADMIN": admin, "FUZZ_HR": hr, "FUZZ_PROCTOR": proctor,
    "FUZZ_LOGOUT": logout, "FUZZ_CANDIDATE": answering, "FUZZ_CANDIDATE_FINISH": finishing,
    "FUZZ_CANDIDATE_SUBMIT": submitting,
}
lists = {
    "accounts": accounts,
    "campaigns": [one["id"], two["id"]],
    "participants": sorted(by_nip.values()),
    # Reissuing a code ends the sessions opened with it: not those of the driven candidates.
    "reissue_participants": sorted(set(by_nip.values()) - driven),
    "sessions": [s["id"] for s in one["sessions"] if s["name"] == "Sesi 1"] + [s["id"] for s in two["sessions"]],
    "instruments": [i["id"] for i in instruments],
    "assets": sorted(assets) or ["none"],
    "batteries": [battery["id"]],
    "items": [i["id"] for i in section["items"]],
}
for k, v in out.items():
    print(f"{k}={v}")
for k, v in lists.items():
    print(f"FUZZ_LIST_{k.upper()}={shlex.quote(json.dumps(v))}")
