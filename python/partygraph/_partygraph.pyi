"""Type hints of the Rust extension (see partygraph/__init__.py for the documented API)."""

import os
import pathlib
from typing import Any, Iterable, List, Optional, Sequence, Tuple, Union

__version__: str

class GazetteerError(ValueError):
    """A gazetteer file is malformed: the message names the file and line."""

_Path = Union[str, os.PathLike]
_Meta = Union[str, int, Any, None]

class Extractor:
    """Extracts entities and relations from articles; built once, shared by threads."""

    def __init__(
        self,
        gazetteers: Union[_Path, Sequence[_Path], None] = None,
        fold: str = "auto",
    ) -> None: ...
    @property
    def gazetteers(self) -> Optional[List[pathlib.Path]]: ...
    @property
    def fold(self) -> str: ...
    def extract(
        self,
        text: str,
        id: Optional[Union[str, int]] = None,
        url: Optional[str] = None,
        date: _Meta = None,
        title: Optional[str] = None,
        source: Optional[str] = None,
    ) -> dict: ...
    def extract_many(
        self,
        records: Iterable[Union[str, dict, Any]],
        text_field: str = "text",
        id_field: str = "id",
        jobs: Optional[int] = None,
    ) -> List[dict]: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Optional[List[pathlib.Path]], str]]: ...

def build_json(
    paths: Sequence[_Path],
    records: Iterable[Any],
    extractor: Extractor,
    jobs: Optional[int] = None,
    text_field: str = "text",
    id_field: str = "id",
    evidence: str = "text",
) -> dict: ...
class Merger:
    """Merges records and graphs given one at a time as JSON text."""

    def __init__(self) -> None: ...
    def add(self, text: str) -> None: ...
    @property
    def items(self) -> int: ...
    def counts(self) -> Tuple[int, int, int]: ...
    def write(self, path: _Path, format: str = "json", evidence: str = "text") -> None: ...
    def graph(self, evidence: str = "text") -> dict: ...
def is_corpus_file(path: _Path) -> bool: ...
