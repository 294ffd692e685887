#!/usr/bin/env bash
# A picture of a scorecard's Summary sheet, for a person to look at without Excel:
# LibreOffice recalculates the workbook and prints it to PDF, pdftoppm renders page 1 (Summary).
#
#   scripts/scorecard-picture.sh scorecard.xlsx [out.png]
#
# Needs Debian's libreoffice-calc and poppler-utils (apt-get install libreoffice-calc poppler-utils).
set -euo pipefail
xlsx=${1:?usage: scripts/scorecard-picture.sh scorecard.xlsx [out.png]}
out=${2:-${xlsx%.xlsx}-summary.png}
for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found; apt-get install libreoffice-calc poppler-utils" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A throw-away profile that recalculates every formula on load (LibreOffice trusts cached values otherwise).
mkdir -p "$work/profile/user"
cat > "$work/profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU
soffice "-env:UserInstallation=file://$work/profile" --headless --convert-to pdf --outdir "$work" "$xlsx" >/dev/null 2>&1
pdf="$work/$(basename "${xlsx%.xlsx}").pdf"
[ -s "$pdf" ] || { echo "error: LibreOffice did not convert $xlsx to PDF" >&2; exit 1; }
pdftoppm -png -r 110 -f 1 -l 1 -singlefile "$pdf" "${out%.png}"
echo "wrote $out"
