from typing import Any, Optional

from pyspark.sql import DataFrame
from pyspark.sql.types import StructType

from . import Extractor

RECORD_SCHEMA: StructType

def extract_partitions(
    df: DataFrame,
    text_col: str = "text",
    id_col: Optional[str] = "id",
    *,
    extractor: Optional[Extractor] = None,
    gazetteers: Any = None,
    fold: str = "auto",
    _built: Any = None,
) -> DataFrame: ...
def build_graph(
    df: DataFrame,
    text_col: str = "text",
    id_col: Optional[str] = "id",
    *,
    extractor: Optional[Extractor] = None,
    gazetteers: Any = None,
    fold: str = "auto",
) -> dict: ...
def write_graph(
    df: DataFrame,
    path: Any,
    format: str = "json",
    text_col: str = "text",
    id_col: Optional[str] = "id",
    *,
    extractor: Optional[Extractor] = None,
    gazetteers: Any = None,
    fold: str = "auto",
) -> dict: ...
