import os
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

from ._partygraph import Extractor as Extractor
from ._partygraph import GazetteerError as GazetteerError

__version__: str
__all__: list

def build(
    paths_or_records: Union[str, os.PathLike, Iterable[Any]],
    jobs: Optional[int] = None,
    *,
    extractor: Optional[Extractor] = None,
    gazetteers: Any = None,
    fold: str = "auto",
    text_field: str = "text",
    id_field: str = "id",
    evidence: str = "text",
) -> dict: ...
def merge(
    records_or_graphs: Iterable[Union[Mapping[str, Any], str, bytes]], *, evidence: str = "text"
) -> dict: ...
def dumps(graph: Mapping[str, Any]) -> str: ...
def evidence(graph_or_record: Mapping[str, Any], item: Mapping[str, Any]) -> List[dict]: ...
def to_networkx(graph: Mapping[str, Any]) -> Any: ...
def to_pandas(graph: Mapping[str, Any]) -> Tuple[Any, Any]: ...
