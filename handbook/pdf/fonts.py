"""One embedded copy of each font in the merged handbook PDF.

Each chapter is printed on its own (chunked.py), and WeasyPrint embeds in each chapter's PDF a
subset of each font holding only the glyphs that chapter uses. Merged as they are, the handbook
would carry one subset per font per chapter (about 0.5 MB more for the real handbook, ten times
that for the 10x benchmark). WeasyPrint subsets with HarfBuzz keeping the glyph ids of the whole
font (and maps character codes to glyph ids one to one), so the pages' text does not depend on
which subset it is drawn with: after the merge, every chapter's font is pointed at one subset of
the whole font file holding every glyph any chapter uses, made the way WeasyPrint makes its own,
with the widths and Unicode mappings of all chapters together. That is what WeasyPrint would
have embedded had it printed the handbook as one document.

HarfBuzz is called through cffi directly, with the same flags as weasyprint/pdf/fonts.py
(_harfbuzz_subset): WeasyPrint's own bindings lack the calls that make a face from bytes. Where
HarfBuzz's subsetting library is not installed (Debian's libharfbuzz-subset0, which `make build`
installs), fontTools subsets instead, with the options WeasyPrint itself then uses
(_fonttools_subset): each font is still embedded once, in a file of about the same size, but not
the same bytes, and the build says so (build.py). A font this cannot treat exactly as WeasyPrint
would (a variable or colour font, glyphs missing from it, a font collection) keeps one subset per
chapter, which is larger but correct.
"""

from __future__ import annotations

import io
import re
from math import ceil

import cffi
import pikepdf

_ffi = cffi.FFI()
_ffi.cdef("""
    typedef struct hb_blob_t hb_blob_t;
    typedef struct hb_face_t hb_face_t;
    typedef struct hb_set_t hb_set_t;
    typedef struct hb_subset_input_t hb_subset_input_t;
    typedef uint32_t hb_codepoint_t;
    typedef uint32_t hb_tag_t;
    typedef void (*hb_destroy_func_t) (void *user_data);
    typedef enum {
        HB_MEMORY_MODE_DUPLICATE, HB_MEMORY_MODE_READONLY, HB_MEMORY_MODE_WRITABLE,
        HB_MEMORY_MODE_READONLY_MAY_MAKE_WRITABLE
    } hb_memory_mode_t;
    const char *hb_version_string (void);
    hb_blob_t *hb_blob_create (const char *data, unsigned int length, hb_memory_mode_t mode,
                               void *user_data, hb_destroy_func_t destroy);
    void hb_blob_destroy (hb_blob_t *blob);
    const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
    hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
    void hb_face_destroy (hb_face_t *face);
    hb_blob_t *hb_face_reference_blob (hb_face_t *face);
    hb_tag_t hb_tag_from_string (const char *str, int len);
    void hb_set_add_sorted_array (hb_set_t *set, const hb_codepoint_t *sorted_codepoints,
                                  unsigned int num_codepoints);
    hb_subset_input_t *hb_subset_input_create_or_fail (void);
    void hb_subset_input_destroy (hb_subset_input_t *input);
    hb_set_t *hb_subset_input_glyph_set (hb_subset_input_t *input);
    hb_set_t *hb_subset_input_set (hb_subset_input_t *input, int set_type);
    void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned value);
    hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
""")


def _open(*names):
    for name in names:
        try:
            return _ffi.dlopen(name)
        except OSError:
            continue
    return None


# The names weasyprint/text/ffi.py tries, so that this finds the libraries WeasyPrint uses.
_harfbuzz = _open("libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0", "libharfbuzz.0.dylib",
                  "libharfbuzz-0.dll")
_subset = _open("libharfbuzz-subset-0", "harfbuzz-subset", "harfbuzz-subset-0.0", "libharfbuzz-subset.so.0",
                "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")

# weasyprint/text/ffi.py's hb_subset_flags_t and hb_subset_sets_t
_NO_HINTING, _RETAIN_GIDS, _DESUBROUTINIZE, _PASSTHROUGH_UNRECOGNIZED = 0x1, 0x2, 0x4, 0x20
_DROP_TABLE_TAG = 3
_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT",
                   b"SVG ")
# Tables with which WeasyPrint rewrites a font beyond subsetting it (variable and colour fonts).
_REWRITTEN = {"fvar", "CBDT", "CBLC", "sbix", "SVG ", "COLR", "EBDT"}


def harfbuzz_subsets() -> bool:
    """Whether HarfBuzz's subsetting library could be loaded (else fontTools subsets)."""
    return _harfbuzz is not None and _subset is not None


def subset(face: bytes, glyphs: set[int]) -> bytes | None:
    """`face` (a whole font file) cut down to `glyphs`, keeping glyph ids, as WeasyPrint does it
    (weasyprint/pdf/fonts.py, Font._harfbuzz_subset, without hinting), or with fontTools where
    HarfBuzz's subsetter is missing. None if neither can."""
    if not glyphs:
        return None
    if not harfbuzz_subsets():
        return _fonttools_subset(face, glyphs)
    data = _ffi.from_buffer(face)  # kept alive below: the blob points into it
    blob = _harfbuzz.hb_blob_create(data, len(face), 1, _ffi.NULL, _ffi.NULL)  # HB_MEMORY_MODE_READONLY
    source = _harfbuzz.hb_face_create(blob, 0)
    job = _subset.hb_subset_input_create_or_fail()
    first = second = _ffi.NULL
    try:
        wanted = sorted(glyphs)
        _subset.hb_set_add_sorted_array(_subset.hb_subset_input_glyph_set(job),
                                        _ffi.new(f"hb_codepoint_t[{len(wanted)}]", wanted), len(wanted))
        _subset.hb_subset_input_set_flags(job, _RETAIN_GIDS | _PASSTHROUGH_UNRECOGNIZED | _DESUBROUTINIZE)
        tags = [_harfbuzz.hb_tag_from_string(tag, -1) for tag in _DROPPED_TABLES]
        _subset.hb_set_add_sorted_array(_subset.hb_subset_input_set(job, _DROP_TABLE_TAG),
                                        _ffi.new(f"hb_codepoint_t[{len(tags)}]", sorted(tags)), len(tags))
        first = _subset.hb_subset_or_fail(source, job)
        if first == _ffi.NULL:
            return None
        # Then drop the empty glyphs after the last one used, as WeasyPrint does.
        keep = list(range(max(wanted) + 1))
        _subset.hb_set_add_sorted_array(_subset.hb_subset_input_glyph_set(job),
                                        _ffi.new(f"hb_codepoint_t[{len(keep)}]", keep), len(keep))
        _subset.hb_subset_input_set_flags(job, _PASSTHROUGH_UNRECOGNIZED | _DESUBROUTINIZE | _NO_HINTING)
        second = _subset.hb_subset_or_fail(first, job)
        if second == _ffi.NULL:
            return None
        result = _harfbuzz.hb_face_reference_blob(second)
        length = _ffi.new("unsigned int *")
        pointer = _harfbuzz.hb_blob_get_data(result, length)
        out = bytes(_ffi.buffer(pointer, length[0])) if length[0] else None
        _harfbuzz.hb_blob_destroy(result)
        return out
    finally:
        for face_object in (second, first):
            if face_object != _ffi.NULL:
                _harfbuzz.hb_face_destroy(face_object)
        _subset.hb_subset_input_destroy(job)
        _harfbuzz.hb_face_destroy(source)
        _harfbuzz.hb_blob_destroy(blob)
        del data


def _fonttools_subset(face: bytes, glyphs: set[int]) -> bytes | None:
    """As weasyprint/pdf/fonts.py (Font._fonttools_subset) subsets without HarfBuzz, without hinting,
    keeping the font's timestamp so that the same glyphs give the same bytes."""
    from fontTools import subset as fonttools_subset
    from fontTools.ttLib import TTFont, TTLibError

    options = fonttools_subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
                                       hinting=False, desubroutinize=True, notdef_outline=False)
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = fonttools_subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyphs))
    try:
        font = TTFont(io.BytesIO(face), recalcTimestamp=False)
        subsetter.subset(font)
        out = io.BytesIO()
        font.save(out)
    except (TTLibError, AssertionError, KeyError):  # a font fontTools cannot cut down: left as embedded
        return None
    return out.getvalue()


def _plain_font(face: bytes) -> bool:
    """A single, static, outline font: one WeasyPrint only subsets."""
    if face[:4] == b"ttcf":
        return False
    from fontTools.ttLib import TTFont

    try:
        return not (_REWRITTEN & set(TTFont(io.BytesIO(face), lazy=True).keys()))
    except Exception:  # noqa: BLE001 (a font fontTools cannot read is left as WeasyPrint embedded it)
        return False


_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>")


def to_unicode(stream: pikepdf.Stream) -> dict[int, str]:
    """The glyph-to-text pairs of a ToUnicode CMap as WeasyPrint writes it (bfchar entries)."""
    pairs = {}
    for glyph, text in _BFCHAR.findall(stream.read_bytes()):
        pairs[int(glyph, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return pairs


def cid_widths(array: pikepdf.Array) -> dict[int, object]:
    """A CID font's /W array as glyph: width (thousandths of the font size)."""
    widths, items, i = {}, list(array), 0
    while i < len(items):
        start, run = int(items[i]), items[i + 1]
        for offset, width in enumerate(run):
            widths[start + offset] = width
        i += 2
    return widths


def _to_unicode_cmap(pairs: dict[int, str]) -> bytes:
    """The ToUnicode CMap WeasyPrint writes (weasyprint/pdf/fonts.py, build_fonts_dictionary)."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(pairs.items())
    for i in range(ceil(len(items) / 100)):
        batch = items[i * 100:(i + 1) * 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode() for glyph, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def share_fonts(pdf: pikepdf.Pdf, faces: dict[str, bytes]) -> int:
    """Point every chapter's copy of each font in `pdf` at one subset of the whole font (and the
    extract notice's, drawn over a chapter's own PDF as a form with fonts of its own).

    `faces` maps a font's PostScript name as embedded ("LNXIQZ+Inter") to its whole font file.
    Returns how many fonts are now embedded once.
    """
    by_name: dict[str, list[pikepdf.Dictionary]] = {}
    uses: list[tuple[pikepdf.Dictionary, str, pikepdf.Dictionary]] = []  # (a /Font resource dict, name, font)
    seen: set[tuple[int, int]] = set()

    def collect(resources) -> None:
        if resources is None or resources.objgen in seen and resources.is_indirect:
            return
        if resources.is_indirect:
            seen.add(resources.objgen)
        fonts = resources.get("/Font", pikepdf.Dictionary())
        for resource_name, font in fonts.items():
            if font.get("/Subtype") != "/Type0":
                continue
            uses.append((fonts, resource_name, font))
            if font.objgen not in seen:
                seen.add(font.objgen)
                by_name.setdefault(str(font.BaseFont).lstrip("/"), []).append(font)
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == "/Form":
                collect(xobject.get("/Resources"))

    for page in pdf.pages:
        collect(page.obj.get("/Resources"))
    shared = 0
    for name, copies in by_name.items():
        face = faces.get(name)
        if face is None or len(copies) < 2 or not _plain_font(face):
            continue
        descendants = [font.DescendantFonts[0] for font in copies]
        if any(font.get("/Encoding") != "/Identity-H" or "/ToUnicode" not in font for font in copies) or any(
                d.get("/CIDToGIDMap") != "/Identity" or "/CIDSet" in d.FontDescriptor for d in descendants):
            continue  # glyphs missing from the font, or a PDF version that lists them: as embedded
        widths: dict[int, object] = {}
        text: dict[int, str] = {}
        for font, descendant in zip(copies, descendants, strict=True):
            for glyph, width in cid_widths(descendant.get("/W", pikepdf.Array())).items():
                widths.setdefault(glyph, width)
            for glyph, value in to_unicode(font.ToUnicode).items():
                text.setdefault(glyph, value)
        program = subset(face, set(text) | set(widths))
        if program is None:
            continue
        template = descendants[0]
        old_file_key = next(k for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in template.FontDescriptor)
        old_file = template.FontDescriptor[old_file_key]
        font_file = pikepdf.Stream(pdf, program)
        if "/Subtype" in old_file:
            font_file.Subtype = old_file.Subtype
        if "/Length1" in old_file:
            font_file.Length1 = len(program)
        descriptor = pikepdf.Dictionary({key: value for key, value in template.FontDescriptor.items()
                                         if key != old_file_key})
        descriptor[old_file_key] = font_file
        bbox = list(template.FontDescriptor.FontBBox)
        bbox[2] = max((w for w in widths.values()), default=0)
        descriptor.FontBBox = pikepdf.Array(bbox)
        flags = int(template.FontDescriptor.Flags) & ~1
        if len(widths) > 1 and len({str(w) for w in widths.values()}) == 1:
            flags |= 1  # FixedPitch, as WeasyPrint sets it
        descriptor.Flags = flags
        run = pikepdf.Array()
        for glyph in sorted(widths):
            if glyph - 1 not in widths:
                current = pikepdf.Array()
                run.append(glyph)
                run.append(current)
            current.append(widths[glyph])
        cid_font = pikepdf.Dictionary({key: value for key, value in template.items() if key not in ("/W",
                                                                                                     "/FontDescriptor")})
        cid_font.W = run
        cid_font.FontDescriptor = pdf.make_indirect(descriptor)
        cid_font = pdf.make_indirect(cid_font)
        cmap = pdf.make_indirect(pikepdf.Stream(pdf, _to_unicode_cmap(text)))
        # One font dictionary for all: the first chapter's, pointed at the new font.
        first = copies[0]
        first.DescendantFonts = pikepdf.Array([cid_font])
        first.ToUnicode = cmap
        others = {font.objgen for font in copies[1:]}
        for fonts, resource_name, font in uses:
            if font.objgen in others:
                fonts[resource_name] = first
        shared += 1
    return shared
