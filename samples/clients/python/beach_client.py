#!/usr/bin/env python3
"""A Beach client in plain Python (standard library only): dispatch, deploy, stop, events.

    from beach_client import BeachClient, BeachError

    beach = BeachClient("http://127.0.0.1:8080", token=None)   # or $BEACH_URL / $BEACH_TOKEN
    ids = beach.deploy("global", "Echo", ["echo"], instances=2)
    print(beach.request("global", "echo", "echo", {"hello": "world"}))
    for event in beach.events(realm="global"):                # Server-Sent Events, as dicts
        print(event["type"])
        break
    beach.stop("global", ids[0])

Every failure is a BeachError whose .code is the HTTP status (400 bad input, 401/403 token, 404 unknown,
503 no actor, 504 timeout, ...) and whose .message says what to change.

Run it as a script for a quick look:  python3 beach_client.py [--url URL] [--token T] health|nodes|realms
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["BeachClient", "BeachError"]


class BeachError(Exception):
    """A failure answer from the gateway: {"error": {code, message, realm?, category?, actor?, op?, details}}."""

    def __init__(self, code, message, error=None):
        super().__init__("%s %s" % (code, message))
        self.code = code
        self.message = message
        self.error = error or {}


def _seg(name):
    return urllib.parse.quote(str(name), safe="")


class BeachClient:
    """Talks to one gateway over HTTP/JSON. Any node's gateway sees the whole cluster."""

    def __init__(self, url=None, token=None, timeout=60.0):
        self.url = (url or os.environ.get("BEACH_URL") or "http://127.0.0.1:8080").rstrip("/")
        self.token = token if token is not None else os.environ.get("BEACH_TOKEN")
        self.timeout = timeout

    # ------------------------------------------------------------------ plumbing

    def _open(self, method, path, body=None, content_type="application/json", timeout=None):
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        if body is not None or method in ("POST", "PUT"):
            # The gateway wants a content type on every request that changes state, bodiless commands included.
            headers["Content-Type"] = content_type
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            return urllib.request.urlopen(req, timeout=timeout or self.timeout)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                error = json.loads(raw.decode("utf-8"))["error"]
            except (ValueError, KeyError, TypeError):
                raise BeachError(e.code, raw.decode("utf-8", "replace").strip() or e.reason) from None
            raise BeachError(error.get("code", e.code), error.get("message", ""), error) from None
        except urllib.error.URLError as e:
            raise BeachError(0, "cannot reach the gateway at %s: %s" % (self.url, e.reason)) from None

    def _call(self, method, path, body=None, content_type="application/json", timeout=None):
        with self._open(method, path, body, content_type, timeout) as r:
            raw = r.read()
            if r.status == 204 or not raw:
                return None
            if r.headers.get_content_type() == "application/octet-stream":
                return raw
            return json.loads(raw.decode("utf-8"))

    # ------------------------------------------------------------------ cluster

    def health(self):
        """{status, node, nodes}"""
        return self._call("GET", "/v1/health")

    def nodes(self):
        return self._call("GET", "/v1/nodes")

    def realms(self):
        return self._call("GET", "/v1/realms")

    def categories(self, realm):
        return self._call("GET", "/v1/realms/%s/categories" % _seg(realm))

    def actors(self, realm, category=None):
        query = "" if category is None else "?category=" + _seg(category)
        return self._call("GET", "/v1/realms/%s/actors%s" % (_seg(realm), query))

    # ------------------------------------------------------------------ deploy / stop

    def deploy(self, realm, cls, categories, instances=1, strategy=None, params=None, concurrency=None):
        """Starts actors of class `cls`; returns their ids. Parameters starting with _ stay private."""
        body = {"class": cls, "categories": [categories] if isinstance(categories, str) else list(categories),
                "instances": instances}
        if strategy is not None:
            body["strategy"] = strategy
        if params is not None:
            body["params"] = params
        if concurrency is not None:
            body["concurrency"] = concurrency
        return self._call("POST", "/v1/realms/%s/actors" % _seg(realm), body)["ids"]

    def stop(self, realm, actor_id):
        """Stops one actor (404 when it is not in `realm`)."""
        self._call("DELETE", "/v1/realms/%s/actors/%s" % (_seg(realm), _seg(actor_id)))

    def stop_category(self, realm, category):
        """Stops every actor `category` reaches; returns how many stopped."""
        return self._call("DELETE", "/v1/realms/%s/actors?category=%s" % (_seg(realm), _seg(category)))["stopped"]

    # ------------------------------------------------------------------ dispatch

    def _dispatch(self, realm, category, op, body, mode, timeout_ms=None, key=None):
        query = {"mode": mode}
        if timeout_ms is not None:
            query["timeout"] = int(timeout_ms)
        if key is not None:
            query["key"] = key
        path = "/v1/realms/%s/categories/%s/%s?%s" % (_seg(realm), _seg(category), _seg(op), urllib.parse.urlencode(query))
        wait = None if timeout_ms is None else max(self.timeout, timeout_ms / 1000.0 + 5)
        if isinstance(body, bytes):
            return self._call("POST", path, body, "application/octet-stream", wait)
        return self._call("POST", path, body, timeout=wait)

    def request(self, realm, category, op, body=None, timeout_ms=None, key=None):
        """One actor's reply (any JSON value; bytes for a binary reply). `key` picks the actor by affinity."""
        return self._dispatch(realm, category, op, body, "one", timeout_ms, key)

    def shoot(self, realm, category, op, body=None, key=None):
        """Fire and forget: returns once the request was handed to an actor's node."""
        self._dispatch(realm, category, op, body, "shoot", key=key)

    def broadcast(self, realm, category, op, body=None):
        """Every actor of the category gets the request; returns how many were reached."""
        return self._dispatch(realm, category, op, body, "broadcast")["targeted"]

    def request_all(self, realm, category, op, body=None, timeout_ms=None):
        """Every actor's outcome: [{actor, node, ok, data | error}]."""
        return self._dispatch(realm, category, op, body, "all", timeout_ms)["replies"]

    # ------------------------------------------------------------------ events

    def events(self, realm=None, types=None, timeout=None):
        """Yields cluster events (dicts with type, time, node, ...) from GET /v1/events until closed.

        `types` is a list of event types or dotted prefixes, e.g. ["actor.started", "node"]. The generator
        holds the connection open; close it (or break out of the loop) to disconnect.
        """
        query = {}
        if realm is not None:
            query["realm"] = realm
        if types:
            query["type"] = ",".join(types)
        path = "/v1/events" + ("?" + urllib.parse.urlencode(query) if query else "")
        response = self._open("GET", path, timeout=timeout)
        try:
            data = []
            for raw in response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line.startswith("data:"):
                    data.append(line[5:].lstrip(" "))
                elif line == "" and data:
                    yield json.loads("\n".join(data))
                    data = []
        finally:
            response.close()


def _main(argv):
    import argparse
    parser = argparse.ArgumentParser(description="A quick look at a Beach cluster.")
    parser.add_argument("--url")
    parser.add_argument("--token")
    parser.add_argument("what", choices=["health", "nodes", "realms"])
    args = parser.parse_args(argv)
    client = BeachClient(args.url, args.token)
    try:
        print(json.dumps(getattr(client, args.what)(), indent=2))
    except BeachError as e:
        print("beach: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
