"""Publishing checkpoint events to Kafka, where the audit worker consumes them.

A lost event means a checkpoint that is never audited, with nothing to show for it; so this
publisher checks the broker and topic when it is created (before hours of training, not after), and
``publish`` waits for the broker's acknowledgement (``acks=all``) and raises if it does not come.
"""

import logging

from confluent_kafka import KafkaException, Producer

from .events import event_to_json

DEFAULT_TOPIC = "memaudit.checkpoints"

_LOG = logging.getLogger(__name__)
# librdkafka's own levels are syslog's: 2 = critical. Its connection errors (repeated every second
# while a broker is down) arrive instead through error_cb, which logs each kind once to Python
# logging (logger "memaudit_client.publisher").
_LIBRDKAFKA_LOG_LEVEL = 2
_FLUSH_MARGIN_S = 2.0


class PublishError(RuntimeError):
    """The event was not delivered, or the topic it should go to does not exist."""


class CheckpointPublisher:
    """Publishes checkpoint events to ``topic``, keyed by ``runId`` so a run's checkpoints share a
    partition and are scored in order. Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, bootstrap_servers, topic=DEFAULT_TOPIC, timeout_s=10.0):
        if not isinstance(bootstrap_servers, str) or not bootstrap_servers.strip():
            raise ValueError(f"bootstrap_servers: expected 'host:port[,host:port...]', got {bootstrap_servers!r}")
        if timeout_s <= 0:
            raise ValueError(f"timeout_s: must be > 0, got {timeout_s!r}")
        self.bootstrap_servers = bootstrap_servers
        self.topic = topic
        self.timeout_s = timeout_s
        self._last_error = None
        self._logged_code = None
        self._checked = False  # until the up-front check passes, errors go into its exception instead
        self._producer = Producer({
            "bootstrap.servers": bootstrap_servers,
            "acks": "all",
            # give up on a message when publish() stops waiting, so its failure is reported there
            "message.timeout.ms": int(timeout_s * 1000),
            "log_level": _LIBRDKAFKA_LOG_LEVEL,
            "error_cb": self._on_error,
        })
        self._check_broker_and_topic()

    def _on_error(self, error):
        # librdkafka repeats an outage's error every few seconds, with varying text: log each kind once
        if self._checked and error.code() != self._logged_code:
            _LOG.warning("Kafka at %s: %s", self.bootstrap_servers, error.str())
            self._logged_code = error.code()
        self._last_error = error.str()

    def _check_broker_and_topic(self):
        try:
            # all topics, not just ours: asking for one by name can make a broker auto-create it
            metadata = self._producer.list_topics(timeout=self.timeout_s)
        except KafkaException as e:
            self._producer.poll(0)  # collects the connection error behind the failure, if any
            raise ConnectionError(f"cannot reach Kafka at {self.bootstrap_servers} "
                                  f"({self._last_error or e.args[0].str()})") from None
        if self.topic not in metadata.topics:
            raise PublishError(f"topic {self.topic!r} does not exist on Kafka at {self.bootstrap_servers}; "
                               f"start the audit worker once (it creates its topics) or create it")
        self._checked = True

    def publish(self, event):
        """Sends one event and waits until the broker has it; raises PublishError if it does not."""
        value = event_to_json(event)
        failures = []

        def on_delivery(error, _message):
            if error is not None:
                failures.append(error.str())

        self._producer.produce(self.topic, value=value, key=event["runId"].encode("utf-8"),
                               on_delivery=on_delivery)
        # longer than message.timeout.ms, so that a timed-out message usually reports its own error
        wait_s = self.timeout_s + _FLUSH_MARGIN_S
        pending = self._producer.flush(wait_s)
        what = f"checkpoint event for run {event['runId']} step {event['step']}"
        if failures:
            raise PublishError(f"{what} was not delivered to {self.topic} at {self.bootstrap_servers}: "
                               f"{failures[0]}{self._last_error_note()}")
        if pending:
            raise PublishError(f"{what} was not acknowledged by {self.bootstrap_servers} within {wait_s:g} s"
                               f"{self._last_error_note()}")
        self._logged_code = None  # delivered: the next outage is news again

    def _last_error_note(self):
        return f" (last Kafka error: {self._last_error})" if self._last_error else ""

    def close(self):
        """Waits (up to ``timeout_s``) for anything still queued; raises if something was left."""
        pending = self._producer.flush(self.timeout_s)
        if pending:
            raise PublishError(f"{pending} message(s) to {self.topic} still undelivered at close")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self.close()
        # else an error is already on its way up: waiting out another timeout would only delay it


def publish_checkpoint(bootstrap_servers, event, topic=DEFAULT_TOPIC, timeout_s=10.0):
    """Publishes one event with a short-lived publisher (for scripts that publish rarely)."""
    with CheckpointPublisher(bootstrap_servers, topic=topic, timeout_s=timeout_s) as publisher:
        publisher.publish(event)
