"""Uploading a version: the requests huggingface_hub sends, against a fake Hub on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.publish.fake_hub import FakeHub
from toolkit.cli import main
from toolkit.pipeline import DataError
from toolkit.publish import PublishOptions, publish, push_to_hub

REPO = "corpus/seeds"


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch):
    with FakeHub() as fake:
        monkeypatch.setenv("HF_ENDPOINT", fake.endpoint)
        monkeypatch.setenv("HF_TOKEN", "hf_fake_token")
        monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
        yield fake


def test_upload_commits_the_version_and_tags_that_commit(built: Path, hub: FakeHub) -> None:
    folder = built / "dist" / built.name / "0.1.0"
    assert (
        main(
            [
                "publish",
                str(built / "clean"),
                str(built / "dist"),
                "--name",
                built.name,
                "--config",
                str(built / "pipeline.toml"),
                "--push-to-hub",
                REPO,
            ]
        )
        == 0
    )
    assert hub.requests == [
        ("POST", "/api/repos/create"),
        ("GET", f"/api/datasets/{REPO}/revision/v0.1.0"),
        ("GET", f"/api/datasets/{REPO}/revision/main"),
        ("POST", "/api/validate-yaml"),
        ("POST", f"/api/datasets/{REPO}/preupload/main"),
        ("POST", f"/api/datasets/{REPO}/commit/main"),
        ("POST", f"/api/datasets/{REPO}/tag/{hub.repos[REPO].commits[-1]}"),
    ]
    assert set(hub.authorizations) == {"Bearer hf_fake_token"}
    repo = hub.repos[REPO]
    assert repo.tags == {"v0.1.0": repo.commits[-1]}
    for path in ["README.md", "manifest.json", "changelog.json", "data/train-00000-of-00001.parquet"]:
        assert repo.files[path] == (folder / path).read_bytes(), path

    hub.requests.clear()  # the same version again: found under its tag, nothing uploaded
    assert push_to_hub(folder, REPO).status == "unchanged"
    assert [method for method, _ in hub.requests] == ["POST", "GET"]


def test_a_new_version_replaces_stale_shards_and_an_existing_tag_is_never_moved(project: Path, hub: FakeHub) -> None:
    first = Path(
        publish(project / "clean", project / "dist", name="seeds", version="1.0.0", options=PublishOptions()).path
    )
    push_to_hub(first, REPO)
    split = Path(
        publish(
            project / "clean",
            project / "dist",
            name="seeds",
            version="1.1.0",
            options=PublishOptions(max_shard_bytes=20_000),
        ).path
    )
    push_to_hub(split, REPO)
    repo = hub.repos[REPO]
    shards = sorted(p for p in repo.files if p.startswith("data/"))
    assert shards == sorted(p.relative_to(split).as_posix() for p in (split / "data").iterdir())
    assert "data/train-00000-of-00001.parquet" in repo.snapshots[repo.tags["v1.0.0"]]

    other = project / "dist" / "other" / "1.0.0"  # different content under an existing tag
    publish(project / "clean", project / "dist", name="other", version="1.0.0", options=PublishOptions())
    with pytest.raises(DataError, match=r"v1\.0\.0 is already on the Hub with other content"):
        push_to_hub(other, REPO)
