"""handbook/pdf/tagging.py's rewriting of running headers and footers into artifacts, on both of its
paths: the quick one over the bytes pydyf writes, and the parsed one for any other spelling."""

from __future__ import annotations

import pikepdf
import pytest

from handbook.pdf.results import PdfError
from handbook.pdf.tagging import as_artifacts

AS_WRITTEN = (b"/Span\n<</MCID 0>>\nBDC\nBT /F1 9 Tf (Text) Tj ET\nEMC\n"
              b"/Span\n<</MCID 1>>\nBDC\nBT /F1 9 Tf (Footer) Tj ET\nEMC\n")


def _marks(content: bytes) -> list:
    with pikepdf.new() as pdf:
        return [(str(operands[0]), dict(operands[1]) if len(operands) > 1 else None)
                for operands, operator in pikepdf.parse_content_stream(pdf.make_stream(content))
                if str(operator) == "BDC"]


def test_the_quick_path_makes_only_the_named_sequences_artifacts():
    rewritten = as_artifacts(AS_WRITTEN, {1}, 1)
    assert _marks(rewritten) == [("/Span", {"/MCID": 0}), ("/Artifact", {"/Type": pikepdf.Name.Pagination})]
    assert b"(Footer) Tj" in rewritten and b"(Text) Tj" in rewritten


def test_another_spelling_is_parsed_and_gives_the_same_marks():
    # A property list with more in it than the MCID: the bytes' pattern does not match.
    other = AS_WRITTEN.replace(b"<</MCID 1>>", b"<</Lang (en) /MCID 1>>")
    assert _marks(as_artifacts(other, {1}, 1)) == _marks(as_artifacts(AS_WRITTEN, {1}, 1))


def test_marked_content_that_is_not_there_stops_the_build():
    with pytest.raises(PdfError, match="page 3: the marked content 7 of a running header or footer was not found"):
        as_artifacts(AS_WRITTEN, {7}, 3)
