"""The greetline command as a user runs it: a real process, real files, real exit codes."""

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ivr.cli import build_parser
from tests.audio.signals import decoded, probe
from tests.conftest import DEMO_DOCUMENT, REPO

GREETLINE = [sys.executable, "-m", "ivr"]
# Bounds a command that hangs; none of these takes more than a few seconds.
COMMAND_TIMEOUT_S = 60


def run(args: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(GREETLINE + args, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S)
    if check and result.returncode != 0:
        raise AssertionError(f"greetline {' '.join(args)} failed: {result.stderr}")
    return result


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("GREETLINE_")}
    return {
        **clean,
        "GREETLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "GREETLINE_MEDIA_DIR": str(tmp_path / "media"),
        "GREETLINE_SNAPSHOT_PATH": str(tmp_path / "routing-snapshot.json"),
        "GREETLINE_CALL_LOG_SPILL_PATH": str(tmp_path / "call-log-spill.jsonl"),
        "GREETLINE_PUBLIC_URL": "http://127.0.0.1:8000",
    }


def test_a_database_that_does_not_answer_is_one_line_and_a_non_zero_exit(env: dict[str, str]) -> None:
    down = {**env, "GREETLINE_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"}
    result = run(["migrate"], down, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("greetline: error: the database does not answer (")
    assert "GREETLINE_DATABASE_URL" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_apply_export_and_simulate_the_demo(env: dict[str, str]) -> None:
    assert "applied Huisartsenpraktijk De Linde" in run(["apply", "--no-render", str(DEMO_DOCUMENT)], env).stdout
    exported = run(["export", "+31501234567"], env).stdout
    assert "business: Huisartsenpraktijk De Linde" in exported and "rings: 4" in exported
    transcript = run(["call", "--to", "+31501234567", "--at", "2026-11-24 10:15", "--operators", "answer-after:8"], env)
    lines = transcript.stdout.splitlines()
    assert lines[1].endswith('hears "Goedemorgen, u spreekt met Huisartsenpraktijk De Linde." (2.8 s)')
    assert "dialling +31501111111, +31502222222 (timeout 15 s: rings up to 20 s)" in transcript.stdout
    assert lines[-1] == "A human (+31501111111) answers after 21.6 s."


def test_a_changed_ring_count_shows_in_the_next_call(env: dict[str, str], tmp_path: Path) -> None:
    changed = tmp_path / "three-rings.yaml"
    changed.write_text(DEMO_DOCUMENT.read_text("utf-8").replace("rings: 4", "rings: 3"), "utf-8")
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], env)
    run(["apply", "--no-render", str(changed)], env)
    transcript = run(["call", "--to", "+31501234567", "--at", "2026-11-24 10:15", "--operators", "never"], env)
    assert "(timeout 10 s: rings up to 15 s)" in transcript.stdout
    assert "answerer hears" in transcript.stdout  # the answering service hears whom the call is for


def test_an_invalid_document_lists_every_problem_and_stores_nothing(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    # '0501234567' is a Dutch number now (read in the document's country, issue 20); '0501' is none.
    bad.write_text("business: X\nnumbers: ['0501']\nrings: 14\n", "utf-8")
    result = run(["apply", str(bad)], env, check=False)
    assert result.returncode == 1
    assert "fix these 3 problem(s)" in result.stderr
    assert "numbers[0]" in result.stderr and "operators: is required" in result.stderr and "rings:" in result.stderr
    assert run(["export", "+31501234567"], env, check=False).returncode == 1


def test_expected_errors_are_one_line_and_non_zero(env: dict[str, str]) -> None:
    for args, expected in [
        (["apply", "/nonexistent.yaml"], "cannot read /nonexistent.yaml"),
        (["export", "0501234567"], "not an international number"),
        (["call", "--to", "+31501234567", "--operators", "sometimes"], "unknown phone behaviour 'sometimes'"),
        (["call", "--to", "+31501234567", "--at", "teatime"], "--at 'teatime'"),
    ]:
        result = run(args, env, check=False)
        assert result.returncode == 1, args
        assert result.stderr.count("\n") == 1 and expected in result.stderr, result.stderr


def test_serve_refuses_to_start_without_a_token(env: dict[str, str]) -> None:
    result = run(["serve", "--port", "0"], env, check=False)
    assert result.returncode == 1
    assert "GREETLINE_TWILIO_AUTH_TOKEN is not set" in result.stderr and "--insecure-dev-mode" in result.stderr


def test_serve_refuses_to_start_on_postgresql_without_a_session_secret(env: dict[str, str]) -> None:
    env = {
        **env,
        "GREETLINE_TWILIO_AUTH_TOKEN": "cli-test-token",
        "GREETLINE_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    }
    env.pop("GREETLINE_SESSION_SECRET", None)
    result = run(["serve", "--port", "0"], env, check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("greetline: error: GREETLINE_SESSION_SECRET is not set"), result.stderr


@pytest.fixture
def served(env: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """`greetline serve` as a real uvicorn process on a free port; its URL is read from its own log."""
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], env)
    env = {**env, "GREETLINE_TWILIO_AUTH_TOKEN": "cli-test-token"}
    process = subprocess.Popen([*GREETLINE, "serve", "--port", "0"], env=env, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    url = None
    for line in process.stderr:  # blocks until uvicorn reports where it listens
        match = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line)
        if match:
            url = match.group(1)
            break
    try:
        assert url, "the server did not start"
        yield url, env
    finally:
        process.terminate()
        process.wait(COMMAND_TIMEOUT_S)


def test_simulator_against_a_running_server(served: tuple[str, dict[str, str]]) -> None:
    url, env = served
    result = run(["call", "--url", url, "--to", "+31501234567", "--at", "2026-11-24 10:15", "--press", "2"], env)
    assert "presses 2" in result.stdout and "voicemail: the caller leaves a message" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("No human answered")


def test_simulator_with_the_wrong_token_is_refused(served: tuple[str, dict[str, str]]) -> None:
    url, env = served
    result = run(["call", "--url", url, "--to", "+31501234567"], {**env, "GREETLINE_TWILIO_AUTH_TOKEN": "wrong"}, False)
    assert result.returncode == 1 and "answered HTTP 403" in result.stderr


def test_audio_normalize_prints_the_report_and_refuses_with_one_line(env: dict[str, str], tmp_path: Path) -> None:
    from tests.audio.signals import ffmpeg

    source = tmp_path / "tone.mp3"
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=2", "-af", "volume=-30dB", "-ac", "2", str(source))
    output = run(["audio", "normalize", str(source), str(tmp_path / "out.wav"), "--json"], env).stdout
    report = json.loads(output)
    assert report["input_format"] == "MP3" and abs(report["output_lufs"] + 19) <= 0.5
    (tmp_path / "text.mp3").write_text("hello", "utf-8")
    refused = run(["audio", "normalize", str(tmp_path / "text.mp3"), str(tmp_path / "x.wav")], env, check=False)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "not an audio format we accept" in refused.stderr
    assert not (tmp_path / "x.wav").exists()


def test_keys_are_shown_once_listed_without_secrets_and_revocable(env: dict[str, str]) -> None:
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], env)
    created = run(["keys", "create", "--business", "+31501234567", "--label", "assistant"], env).stdout
    secret = created.splitlines()[-1]
    assert created.startswith("API key 1 for business 1") and secret.startswith("gl_") and len(secret) > 40
    listed = run(["keys", "list"], env).stdout
    assert "assistant" in listed and "active" in listed and secret not in listed and secret[:10] in listed
    assert "is revoked" in run(["keys", "revoke", "1"], env).stdout
    assert "revoked" in run(["keys", "list"], env).stdout
    missing = run(["keys", "revoke", "9"], env, check=False)
    assert missing.returncode == 1 and "greetline keys list" in missing.stderr


@pytest.mark.parametrize(
    ("rings", "country", "timer_s"), [("4", "NL", 20), ("1", "NL", 5), ("3", "UK", 10), ("10", "US", 30)]
)
def test_forward_codes_follow_the_ring_count(env: dict[str, str], rings: str, country: str, timer_s: int) -> None:
    lines = run(["forward-codes", "--rings", rings, "--to", "+31501234567", "--country", country], env).stdout
    assert lines.splitlines()[0].startswith(f"**61*+31501234567**{timer_s}#")
    assert [line.split()[0] for line in lines.splitlines()[1:5]] == [
        "**67*+31501234567#",
        "**62*+31501234567#",
        "**21*+31501234567#",
        "##002#",
    ]


def test_more_rings_than_a_mobile_waits_say_so_and_landline_codes_follow(env: dict[str, str]) -> None:
    lines = run(["forward-codes", "--rings", "8", "--to", "+31501234567"], env).stdout.splitlines()
    assert lines[0] == (
        "**61*+31501234567**30#            not answered within 30 s, the longest a mobile waits "
        "(you chose 8 rings, about 40 s): forward to Greetline"
    )
    codes = [line.split()[0] for line in lines if line.startswith(("*", "#"))]
    for service in ("21", "61", "67", "210", "610", "670"):
        assert f"*{service}*+31501234567#" in codes and f"#{service}#" in codes


def test_forward_codes_refuse_a_wrong_number(env: dict[str, str]) -> None:
    result = run(["forward-codes", "--rings", "4", "--to", "0501234567"], env, check=False)
    assert result.returncode == 1 and "E.164" in result.stderr


def test_staff_logins_are_listed_and_removed(env: dict[str, str]) -> None:
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], env)
    for email in ["assistent@delinde.nl", "praktijkmanager@delinde.nl"]:
        run(["staff", "create", "--business", "+31501234567", "--email", email, "--password", "lang-genoeg-1"], env)
    listed = run(["staff", "list", "--business", "+31501234567"], env).stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["assistent@delinde.nl", "praktijkmanager@delinde.nl"]
    removed = run(["staff", "remove", "--business", "+31501234567", "--email", "assistent@delinde.nl"], env)
    assert "assistent@delinde.nl can no longer log in" in removed.stdout
    assert "assistent" not in run(["staff", "list", "--business", "+31501234567"], env).stdout
    again = run(["staff", "remove", "--business", "+31501234567", "--email", "assistent@delinde.nl"], env, check=False)
    assert again.returncode == 1 and again.stderr.count("\n") == 1 and "greetline staff list" in again.stderr


def test_templates_are_listed_and_shown_filled_for_a_business(env: dict[str, str]) -> None:
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], env)
    listed = run(["templates", "list"], env).stdout.splitlines()
    assert [line.split()[0] for line in listed] == [
        "outbreak",
        "holiday_closure",
        "out_of_hours",
        "temporary_closure",
        "busy_period",
    ]
    # The next period is the demo's Christmas one until it ends on 1 January 2027; the day is given, not read
    # from the clock, so the test passes in any year.
    holiday = ["templates", "show", "holiday_closure", "--business", "+31501234567"]
    shown = run([*holiday, "--date", "2026-11-24"], env).stdout
    assert shown.startswith("Huisartsenpraktijk De Linde is wegens vakantie gesloten van 24 december 2026")
    after = run([*holiday, "--date", "2027-01-02"], env, check=False)
    assert after.returncode == 1 and "add a period" in after.stderr  # no period left to announce
    typo = run([*holiday, "--date", "24-11-2026"], env, check=False)
    assert typo.returncode == 1 and typo.stderr.count("\n") == 1 and "YYYY-MM-DD" in typo.stderr
    wrong = run(["templates", "show", "nonsense", "--business", "+31501234567"], env, check=False)
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1 and "outbreak" in wrong.stderr


def test_a_template_is_written_as_spoken_mp3(env: dict[str, str], tmp_path: Path) -> None:
    local = {**env, "GREETLINE_TTS_ENGINES": '["espeak"]'}  # Google's endpoint is outside 127.0.0.1
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], local)
    target = tmp_path / "uitbraak.mp3"
    shown = run(["templates", "show", "outbreak", "--business", "+31501234567", "--mp3", str(target)], local).stdout
    assert shown.startswith("Heeft u koorts of hoest u?") and shown.rstrip().endswith(f"spoken: {target}")
    assert probe(target.read_bytes()).codec == "mp3" and len(decoded(target.read_bytes())) / 8000 > 5  # seconds
    unwritable = run(
        ["templates", "show", "outbreak", "--business", "+31501234567", "--mp3", str(tmp_path / "no" / "x.mp3")],
        local,
        check=False,
    )
    assert unwritable.returncode == 1 and unwritable.stderr.count("\n") == 1 and "cannot write" in unwritable.stderr


def test_export_before_migrate_says_what_to_do(env: dict[str, str]) -> None:
    result = run(["export", "+31501234567"], env, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("greetline: error: the database has no businesses yet (no schema)")
    assert "greetline migrate" in result.stderr and "Traceback" not in result.stderr


def test_a_reader_that_goes_away_ends_the_command_quietly(env: dict[str, str]) -> None:
    """`greetline … | head`: the pipe is closed before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [*GREETLINE, "holidays", "NL", "--year", "2026"],
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (141, "")


def test_every_command_and_option_says_what_it_is_for() -> None:
    def undescribed(parser: argparse.ArgumentParser, name: str) -> list[str]:
        missing: list[str] = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {choice.dest: choice.help for choice in action._choices_actions}
                for command, sub in action.choices.items():
                    missing += [] if helps.get(command) else [f"{name} {command}"]
                    missing += undescribed(sub, f"{name} {command}")
            elif not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
        return missing

    assert undescribed(build_parser(), "greetline") == []


def test_staff_create_gives_a_role_and_an_existing_login_another_business(env: dict[str, str], tmp_path: Path) -> None:
    run(["apply", "--no-render", str(DEMO_DOCUMENT)], env)
    second = tmp_path / "eik.yaml"
    second.write_text(DEMO_DOCUMENT.read_text().replace("+31501234567", "+31507654321").replace("De Linde", "De Eik"))
    run(["apply", "--no-render", str(second)], env)
    email = "waarnemer@delinde.nl"
    first = run(["staff", "create", "--business", "+31501234567", "--email", email, "--role", "read_only"], env)
    assert first.stdout.startswith(f"read_only login for Huisartsenpraktijk De Linde: {email} / ")
    joined = run(["staff", "create", "--business", "+31507654321", "--email", email, "--role", "owner"], env)
    assert joined.stdout.strip() == f"owner login for Huisartsenpraktijk De Eik: {email} (its password unchanged)"
    assert run(["staff", "list", "--business", "+31501234567"], env).stdout.split()[:2] == [email, "read_only"]
    wrong = run(["staff", "create", "--business", "+31501234567", "--email", email, "--role", "baas"], env, check=False)
    assert wrong.returncode == 2 and "invalid choice: 'baas'" in wrong.stderr


def test_staff_create_refuses_a_malformed_email(env: dict[str, str]) -> None:
    result = run(["staff", "create", "--business", "+31501234567", "--email", "assistent"], env, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "greetline: error: --email: 'assistent' is not an e-mail address, e.g. praktijk@example.nl"
    )


def test_an_unreadable_setting_is_one_line_naming_the_form(env: dict[str, str]) -> None:
    result = run(["migrate"], {**env, "GREETLINE_TTS_ENGINES": "espeak"}, check=False)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "tts_engines" in result.stderr and '["espeak"]' in result.stderr


def test_a_folder_is_applied_document_by_document_and_a_refused_one_is_named(
    env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    demo = DEMO_DOCUMENT.read_text("utf-8")
    numbers = [f"+3150123456{index}" for index in range(4)]
    for index, number in enumerate(numbers):
        text = demo.replace("De Linde", f"De Linde {index}").replace('["+31501234567"]', f'["{number}"]')
        (folder / f"business-{index}.yaml").write_text(text, "utf-8")
    (folder / "broken.yaml").write_text("business: [unclosed\n", "utf-8")
    both = demo.replace('["+31501234567"]', f'["{numbers[0]}", "{numbers[1]}"]')
    (folder / "two-owners.yaml").write_text(both, "utf-8")
    (folder / "notes.txt").write_text("not a document", "utf-8")

    result = run(["apply", "--no-render", "--workers", "2", str(folder)], env, check=False)

    assert result.returncode == 1
    assert "applied 4 of 6 document(s)" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("greetline: error:")]
    assert len(errors) == 2
    broken = f"greetline: error: {folder / 'broken.yaml'}: 1 problem(s): line 2, column 1: not valid YAML"
    assert errors[0].startswith(broken)
    assert errors[1].startswith(f"greetline: error: {folder / 'two-owners.yaml'}: these numbers belong to different")
    assert "applied 6/6" in result.stderr  # the progress bar's last line
    assert "business: Huisartsenpraktijk De Linde 3" in run(["export", numbers[3]], env).stdout
    snapshot = json.loads(Path(env["GREETLINE_SNAPSHOT_PATH"]).read_text("utf-8"))
    assert sorted(snapshot["numbers"]) == numbers


def test_a_folder_without_documents_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    result = run(["apply", str(tmp_path)], env, check=False)
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"greetline: error: {tmp_path} holds no .yaml documents; put one business document per file there"
    )


def test_make_run_applies_the_demo_only_while_it_does_not_exist(env: dict[str, str], tmp_path: Path) -> None:
    """A restart of `make run` keeps what the manager changed (here: rings 4 -> 3) instead of applying the demo
    over it. The Makefile's own command is run (without rendering speech, which is not what this is about)."""
    planned = subprocess.run(["make", "-n", "run"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    applies = [shlex.split(line, comments=True) for line in planned.splitlines() if "greetline apply" in line]
    assert len(applies) == 1
    makes_apply = [*applies[0][applies[0].index("apply") :], "--no-render"]
    first = run(makes_apply, env).stdout
    assert "applied Huisartsenpraktijk De Linde" in first
    changed = tmp_path / "three-rings.yaml"
    changed.write_text(DEMO_DOCUMENT.read_text("utf-8").replace("rings: 4", "rings: 3"), "utf-8")
    run(["apply", "--no-render", str(changed)], env)  # the manager's change (the page saves the same way)
    again = run(makes_apply, env).stdout
    assert again.startswith("kept Huisartsenpraktijk De Linde (business 1, revision 2) as stored: it exists already")
    assert "rings: 3" in run(["export", "+31501234567"], env).stdout
    folder = run(["apply", "--if-new", str(tmp_path)], env, check=False)
    assert folder.returncode == 1 and "--if-new applies one document file" in folder.stderr
