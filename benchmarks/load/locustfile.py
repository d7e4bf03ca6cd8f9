"""Locust's virtual people for `make load` (benchmarks/cluster_load.py writes LOAD_PLAN and runs this).

Each virtual person takes a session of their own from the plan (made for them in the database, as a log-in
would) and opens their role's pages by weight, with a short pause between pages as a person reads. A page
counts as an error unless it answers 200. No folder in `benchmarks` imports this file (Locust patches the
standard library when it is imported).
"""

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
NEXT = {role: itertools.count() for role in PLAN}


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        people = PLAN[self.role]
        self.me = people[next(NEXT[self.role]) % len(people)]
        self.kinds = [(name, url) for name, url, _weight in self.me["pages"]]
        self.weights = [weight for _name, _url, weight in self.me["pages"]]

    @task
    def open_a_page(self):
        name, url = random.choices(self.kinds, self.weights)[0]  # noqa: S311 (a mix, not a secret)
        # The session cookie by hand: it is Secure, and the hop to the balancer is plain http here.
        headers = {"Cookie": f"sessionid={self.me['session']}"}
        with self.client.get(url, headers=headers, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}")


class Owner(Person):
    role, weight = "owner", 10


class Representative(Person):
    role, weight = "representative", 5


class Coordinator(Person):
    role, weight = "coordinator", 3


class HR(Person):
    role, weight = "hr", 2
