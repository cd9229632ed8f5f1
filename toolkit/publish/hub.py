"""Upload a published version to a dataset repository on the Hugging Face Hub, tagged `v<version>`.

One commit holds the version's files (and deletes shards of an older version the new one does not
have, since the card's data_files pattern would pick them up); the tag is made on that commit, so
`load_dataset(repo, revision="v1.2.0")` reads exactly this version. A tag that exists already is left
alone: a no-op when it holds the same manifest, an error otherwise. The token is huggingface_hub's
usual one (HF_TOKEN or `hf auth login`), never a file of the project.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, DatasetInfo, HfApi
from huggingface_hub.errors import HfHubHTTPError, RevisionNotFoundError

from toolkit.pipeline import MANIFEST, DataError

__all__ = ["HubResult", "git_blob_id", "upload_version"]


@dataclass
class HubResult:
    repo: str
    tag: str
    commit: str
    status: str  # "pushed" or "unchanged"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def git_blob_id(path: Path) -> str:
    """The git object id the Hub reports as a regular file's blobId."""
    data = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _revision(api: HfApi, repo_id: str, revision: str, *, blobs: bool = False) -> DatasetInfo | None:
    """The repo at `revision` (its commit and files), None when the revision does not exist."""
    try:
        return api.dataset_info(repo_id, revision=revision, files_metadata=blobs)
    except RevisionNotFoundError:
        return None


def upload_version(folder: Path, repo_id: str) -> HubResult:
    """Push the published version in `folder` (already verified) to the dataset repo `repo_id`."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    tag = f"v{manifest['version']}"
    # HF_ENDPOINT is read now rather than when huggingface_hub was imported, so it can point at a mirror.
    api = HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None)
    try:
        api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
        tagged = _revision(api, repo_id, tag, blobs=True)
        if tagged is not None:
            blobs = {sibling.rfilename: sibling.blob_id for sibling in tagged.siblings or []}
            if blobs.get(MANIFEST) == git_blob_id(folder / MANIFEST):
                return HubResult(repo_id, tag, tagged.sha or "", "unchanged")
            raise DataError(f"{repo_id}: {tag} is already on the Hub with other content; a version never changes")
        local = [entry["path"] for entry in manifest["files"]] + [MANIFEST]
        main = _revision(api, repo_id, "main")
        remote = [sibling.rfilename for sibling in (main.siblings or [])] if main else []
        stale = [path for path in remote if path.startswith("data/") and path not in local]
        operations: list[CommitOperationAdd | CommitOperationDelete] = [
            CommitOperationAdd(path_in_repo=path, path_or_fileobj=str(folder / path)) for path in local
        ]
        operations += [CommitOperationDelete(path_in_repo=path) for path in stale]
        commit = api.create_commit(
            repo_id,
            operations,
            commit_message=f"Publish {manifest['name']} {manifest['version']}",
            repo_type="dataset",
        )
        api.create_tag(repo_id, tag=tag, revision=commit.oid, repo_type="dataset")
    except HfHubHTTPError as error:
        raise DataError(f"{repo_id}: the Hub refused the upload ({str(error).splitlines()[0]})") from None
    return HubResult(repo_id, tag, commit.oid, "pushed")
