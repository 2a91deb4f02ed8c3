"""What normalising a greeting did, step by step, and what a person should do about it."""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    name: str
    detail: str


@dataclass
class NormalizationReport:
    input_format: str
    input_duration_s: float
    input_rate_hz: int
    input_lufs: float
    input_peak_dbfs: float
    duration_s: float = 0.0
    output_lufs: float = 0.0
    output_true_peak_dbtp: float = 0.0
    gain_db: float = 0.0
    limiter_reduction_db: float = 0.0
    trimmed_start_ms: int = 0
    trimmed_end_ms: int = 0
    steps: list[Step] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Each warning's code (audio.errors.AudioCode), in the same order: a page words it in its own language.
    warning_codes: list[str] = field(default_factory=list)
    # And the values its words need (e.g. the seconds of a long greeting), in the same order.
    warning_values: list[dict[str, str | int | float]] = field(default_factory=list)

    def warn(self, code: str, message: str, **values: str | int | float) -> None:
        self.warnings.append(message)
        self.warning_codes.append(code)
        self.warning_values.append(values)

    def step(self, name: str, detail: str) -> None:
        self.steps.append(Step(name, detail))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        lines = [
            f"input:   {self.input_format}, {self.input_duration_s:.2f} s, {self.input_rate_hz} Hz, "
            f"{self.input_lufs:.1f} LUFS, peak {self.input_peak_dbfs:.1f} dBFS",
            f"output:  8000 Hz mono μ-law WAV, {self.duration_s:.2f} s, {self.output_lufs:.1f} LUFS, "
            f"true peak {self.output_true_peak_dbtp:.1f} dBTP",
            f"gain {self.gain_db:+.1f} dB, limiter {self.limiter_reduction_db:.1f} dB at most, "
            f"trimmed {self.trimmed_start_ms} ms at the start and {self.trimmed_end_ms} ms at the end",
        ]
        lines += [f"  {step.name}: {step.detail}" for step in self.steps]
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)
