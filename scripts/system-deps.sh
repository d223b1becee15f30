#!/usr/bin/env bash
# Installs the Debian packages jiguan needs, where they are missing.
#   scripts/system-deps.sh run    fonts and libraries for the PDF reports
#   scripts/system-deps.sh test   the same, plus Chromium, poppler and LibreOffice Calc for the
#                                 browser, PDF and workbook tests
# Without root, it prints the apt-get command for an administrator and fails.
set -euo pipefail

packages=(
  # WeasyPrint's text layout
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  # Free CJK faces standing in for the official fonts (README, "Fonts")
  fonts-arphic-uming fonts-noto-cjk fonts-wqy-zenhei fonts-lxgw-wenkai
  fontconfig
)
if [ "${1:-run}" = "test" ]; then
  packages+=(chromium poppler-utils libreoffice-calc-nogui)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${missing[*]}" >&2
  echo "请管理员执行：sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "安装系统软件包：${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
