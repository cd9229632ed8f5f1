"""A small Hugging Face Hub on 127.0.0.1: the endpoints huggingface_hub calls to create a dataset repo,
commit files, tag and read a revision, with the answers the real Hub gives, recording every request."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml


@dataclass
class Repo:
    files: dict[str, bytes] = field(default_factory=lambda: {".gitattributes": b"*.parquet filter=lfs\n"})
    commits: list[str] = field(default_factory=list)
    snapshots: dict[str, dict[str, bytes]] = field(default_factory=dict)  # commit -> files
    tags: dict[str, str] = field(default_factory=dict)  # tag -> commit

    def commit(self, files: dict[str, bytes]) -> str:
        oid = hashlib.sha1(
            json.dumps(sorted((p, hashlib.sha1(b).hexdigest()) for p, b in files.items())).encode()
            + str(len(self.commits)).encode()
        ).hexdigest()
        self.files = files
        self.commits.append(oid)
        self.snapshots[oid] = dict(files)
        return oid


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeHub:
    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.requests: list[tuple[str, str]] = []  # (method, path) in order
        self.authorizations: list[str | None] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_GET(self) -> None:
                hub._handle(self, "GET")

            def do_POST(self) -> None:
                hub._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------ endpoints

    def _handle(self, request: Any, method: str) -> None:
        path = unquote(urlsplit(request.path).path)
        self.requests.append((method, path))
        self.authorizations.append(request.headers.get("Authorization"))
        body = request._body() if method == "POST" else b""
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/api/repos/create":
            payload = json.loads(body)
            repo_id = f"{payload['organization']}/{payload['name']}"
            if repo_id in self.repos:
                return request._reply(
                    409,
                    {"error": "You already created this dataset repo", "url": f"{self.endpoint}/datasets/{repo_id}"},
                )
            self.repos[repo_id] = Repo()
            self.repos[repo_id].commit(dict(self.repos[repo_id].files))
            return request._reply(200, {"url": f"{self.endpoint}/datasets/{repo_id}"})
        if method == "POST" and path == "/api/validate-yaml":
            content = json.loads(body)["content"]
            front = content.split("---\n")[1]
            yaml.safe_load(front)  # a broken card would fail here, as on the Hub
            return request._reply(200, {"errors": [], "warnings": []})
        if parts[:2] == ["api", "datasets"] and len(parts) >= 5:
            repo_id, action, revision = f"{parts[2]}/{parts[3]}", parts[4], "/".join(parts[5:])
            repo = self.repos.get(repo_id)
            if repo is None:
                return request._reply(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
            if method == "GET" and action == "revision":
                return self._revision(request, repo_id, repo, revision)
            if method == "POST" and action == "preupload":
                files = json.loads(body)["files"]
                return request._reply(
                    200,
                    {
                        "files": [
                            {
                                "path": f["path"],
                                "uploadMode": "regular",
                                "shouldIgnore": False,
                                "oid": _blob_id(repo.files[f["path"]]) if f["path"] in repo.files else None,
                            }
                            for f in files
                        ]
                    },
                )
            if method == "POST" and action == "commit":
                files = dict(repo.files)
                for line in body.decode().splitlines():
                    item = json.loads(line)
                    if item["key"] == "file":
                        files[item["value"]["path"]] = base64.b64decode(item["value"]["content"])
                    elif item["key"] == "deletedFile":
                        files.pop(item["value"]["path"])
                oid = repo.commit(files)
                return request._reply(
                    200, {"commitUrl": f"{self.endpoint}/datasets/{repo_id}/commit/{oid}", "commitOid": oid}
                )
            if method == "POST" and action == "tag":
                tag = json.loads(body)["tag"]
                if tag in repo.tags:
                    return request._reply(409, {"error": "Tag already exists"})
                repo.tags[tag] = revision
                return request._reply(200, {})
        return request._reply(404, {"error": f"not served by the fake hub: {method} {path}"})

    def _revision(self, request: Any, repo_id: str, repo: Repo, revision: str) -> None:
        oid = repo.tags.get(revision) or (repo.commits[-1] if revision == "main" else revision)
        if oid not in repo.snapshots:
            return request._reply(404, {"error": "Invalid rev id"}, {"X-Error-Code": "RevisionNotFound"})
        files = repo.snapshots[oid]
        return request._reply(
            200,
            {
                "id": repo_id,
                "sha": oid,
                "private": False,
                "siblings": [{"rfilename": p, "blobId": _blob_id(b), "size": len(b)} for p, b in sorted(files.items())],
            },
        )
