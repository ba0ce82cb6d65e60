"""`cec batch --record URL`: each worker stores the decisions it makes in the decision record.

The batch engine knows nothing of records: it runs whichever decider class it is given. This one is
the batch worker's decider plus a `Recorder` per worker process (a store connection is not shared
across processes). A decision whose record cannot be written is rejected with that reason, so a
batch never reports as decided what the record does not hold.
"""

from __future__ import annotations

from cec_rules.engine.batch.worker import RecordDecider
from cec_rules.engine.errors import CecError

from .records import Recorder
from .store import DecisionStore

RECORDING_DECIDER = "cec_rules.service.batch_record:RecordingDecider"


class RecordingDecider(RecordDecider):
    """Decides like `cec batch` and stores each decision (in English, the record's language)."""

    def __init__(
        self, rulesets_dir, as_of, output_format, lang="en", programs: tuple = (), record_url: str | None = None
    ):
        super().__init__(rulesets_dir, as_of, output_format, lang, programs)
        store = DecisionStore(record_url)
        store.migrate()
        self.recorder = Recorder(store, self.evaluator.library)

    def evaluate(self, applicant, label: str):
        decision = super().evaluate(applicant, label)
        try:
            if self.lang == "en":
                self.recorder.record(self.evaluator, applicant, decision, decision.to_json_line())
            else:
                self.recorder.record_english(applicant, self.as_of, label, self.evaluator.program)
        except CecError:
            raise
        except Exception as exc:  # a database error: this record is not stored, so it is not reported decided
            raise RecordNotStored(
                f"{label}: the decision could not be stored in the decision record: {type(exc).__name__}: {exc}"
            ) from None
        return decision


class RecordNotStored(CecError):
    """The decision was made but the record could not be written."""
