import time
import unittest
from types import SimpleNamespace
from unittest import mock

from memaudit_client import publisher as publisher_module
from memaudit_client.events import build_checkpoint_event, event_to_json, glyph_feature
from memaudit_client.publisher import CheckpointPublisher, PublishError


def _event():
    return build_checkpoint_event("run-1", 5, 1, "file:///ckpt/model.onnx", [1, 28, 28], 10, [0.1307], [0.3081],
                                  [glyph_feature("A")])


class FakeProducer:
    """Stands in for confluent_kafka.Producer: a broker with the given topics and delivery outcome."""

    def __init__(self, config, topics=("memaudit.checkpoints",), delivery_error=None, deliver=True):
        self.config = config
        self.topics = {name: object() for name in topics}
        self.delivery_error = delivery_error
        self.deliver = deliver
        self.produced = []
        self.pending = []

    def list_topics(self, timeout):
        return SimpleNamespace(topics=self.topics)

    def produce(self, topic, value, key, on_delivery):
        self.produced.append((topic, key, value))
        self.pending.append(on_delivery)

    def flush(self, timeout):
        if self.deliver:
            for callback in self.pending:
                callback(self.delivery_error, None)
            self.pending = []
        return len(self.pending)


def _publisher(**fake_options):
    fake = {}

    def make(config):
        fake["producer"] = FakeProducer(config, **fake_options)
        return fake["producer"]

    with mock.patch.object(publisher_module, "Producer", make):
        return CheckpointPublisher("broker:9092", timeout_s=2.0), fake["producer"]


class CheckpointPublisherTest(unittest.TestCase):
    def test_unreachable_broker_fails_fast_with_connection_error(self):
        started = time.monotonic()
        with self.assertRaises(ConnectionError) as raised:
            CheckpointPublisher("127.0.0.1:1", timeout_s=2.0)
        self.assertLess(time.monotonic() - started, 5.0)
        self.assertIn("cannot reach Kafka at 127.0.0.1:1", str(raised.exception))

    def test_publishes_keyed_by_run_id_with_acks_all(self):
        publisher, producer = _publisher()
        event = _event()
        publisher.publish(event)
        self.assertEqual([("memaudit.checkpoints", b"run-1", event_to_json(event))], producer.produced)
        self.assertEqual("all", producer.config["acks"])

    def test_missing_topic_is_named(self):
        with self.assertRaisesRegex(PublishError, "topic 'memaudit.checkpoints' does not exist"):
            _publisher(topics=("other",))

    def test_delivery_error_raises(self):
        publisher, _ = _publisher(delivery_error=SimpleNamespace(str=lambda: "Broker: Not enough replicas"))
        with self.assertRaisesRegex(PublishError, "step 5 was not delivered.*Not enough replicas"):
            publisher.publish(_event())

    def test_flush_timeout_raises(self):
        publisher, _ = _publisher(deliver=False)
        with self.assertRaisesRegex(PublishError, "not acknowledged"):
            publisher.publish(_event())
        with self.assertRaisesRegex(PublishError, "1 message"):
            publisher.close()


if __name__ == "__main__":
    unittest.main()
