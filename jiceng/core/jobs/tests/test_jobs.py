"""The job engine on its production backend (a real Redis on 127.0.0.1:6379) and inline in tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
import redis

from jiceng.core.jobs.jobs import ping_job
from jiceng.core.jobs.queue import build_queue, job, queue

REDIS_URL = os.environ.get("JICENG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required under CI and is not reachable at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def redis_queue(redis_url):
    q = build_queue(
        {"backend": "redis", "url": redis_url, "immediate": False, "name": f"jiceng-test-{uuid.uuid4().hex[:8]}"}
    )
    yield q
    q.flush()


def test_tests_run_jobs_inline():
    assert queue.immediate is True
    result = ping_job("inline")
    assert result.get()["token"] == "inline"


def test_job_round_trip_through_redis(redis_queue):
    @job(target=redis_queue, name="test.add", retries=0)
    def add(a, b):
        return a + b

    result = add(2, 3)
    assert redis_queue.pending_count() == 1  # really stored in Redis, not run inline
    task = redis_queue.dequeue()
    redis_queue.execute(task)
    assert result.get() == 5


def test_failed_job_is_retried_until_it_succeeds(redis_queue, redis_url):
    counter_key = f"jiceng-test-attempts-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(redis_url)

    @job(target=redis_queue, name="test.flaky", retries=2, retry_delay=0)
    def flaky():
        attempt = client.incr(counter_key)
        if attempt < 3:
            raise RuntimeError(f"attempt {attempt} fails")
        return attempt

    result = flaky()
    for _ in range(3):
        task = redis_queue.dequeue()
        assert task is not None
        redis_queue.execute(task)
    assert result.get() == 3
    assert redis_queue.pending_count() == 0
    client.delete(counter_key)


def test_unique_job_does_not_run_twice_at_once(redis_queue):
    @job(target=redis_queue, name="test.unique", unique=True, retries=0)
    def guarded():
        return "ran"

    with redis_queue.lock_task("lock:test.unique"):
        result = guarded()
        redis_queue.execute(redis_queue.dequeue())
        with pytest.raises(Exception, match="lock"):  # TaskLockedException, stored as the result
            result.get()
    result = guarded()  # the lock is released: the next run goes through
    redis_queue.execute(redis_queue.dequeue())
    assert result.get() == "ran"


def test_worker_process_consumes_the_redis_queue(redis_queue, redis_url, tmp_path):
    """``jiceng worker`` in its own process picks up a job enqueued here, over Redis."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("JICENG_")},
        "JICENG_SECRET_KEY": "worker-test-" + uuid.uuid4().hex * 2,
        "JICENG_JOBS_BACKEND": "redis",
        "JICENG_REDIS_URL": redis_url,
        "JICENG_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "jiceng", "worker", "--workers", "1", "--no-periodic"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        producer = build_queue({"backend": "redis", "url": redis_url, "immediate": False, "name": "jiceng"})

        # A producer only needs the job's registered identity (module + name), not its code.
        def remote_ping(token):
            raise AssertionError("runs in the worker, never here")

        remote_ping.__module__ = ping_job.func.__module__
        ping = producer.task(name="jobs.ping")(remote_ping)
        token = uuid.uuid4().hex
        answer = ping(token).get(blocking=True, timeout=30)
        assert answer["token"] == token
        assert answer["pid"] != str(os.getpid())
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
        time.sleep(0.1)
