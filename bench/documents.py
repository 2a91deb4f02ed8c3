"""Business documents for benchmarks: the demo practice copied under distinct names and numbers."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "huisartsenpraktijk-de-linde.yaml"
# Groningen's area code (050) with seven-digit subscriber numbers: 10 million valid, distinct Dutch numbers.
FIRST_NUMBER = 501_000_000


def number_of(index: int) -> str:
    return f"+31{FIRST_NUMBER + index}"


def document_text(index: int) -> str:
    """The demo practice as business `index`: its own name (the welcome names it) and its own number."""
    text = DEMO.read_text("utf-8").replace("De Linde", f"De Linde {index}")
    return text.replace('numbers: ["+31501234567"]', f'numbers: ["{number_of(index)}"]')


def write_documents(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"business-{index:05d}.yaml"
        path.write_text(document_text(index), "utf-8")
        paths.append(path)
    return paths
