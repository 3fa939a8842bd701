#!/bin/sh
# scripts/deps.sh {build|test|fuzz|bench} - installs the Debian packages calcheck needs
# when they are missing. As root it runs apt-get; otherwise it names the
# packages to install and stops. Nothing is done when all are present.
set -u
what=${1:-build}
build_pkgs="make gcc pkg-config libc6-dev libpff-dev libbfio-dev libicu-dev libcurl4-openssl-dev libxml2-dev"
test_pkgs="$build_pkgs python3 libolecf-utils pff-tools curl radicale apache2-utils xandikos python3-aiosmtpd"
case $what in
build) pkgs=$build_pkgs ;;
test) pkgs=$test_pkgs ;;
fuzz) pkgs="clang libclang-rt-14-dev make" ;;
bench) pkgs="$test_pkgs pst-utils time bc libical-dev" ;;
*) echo "usage: scripts/deps.sh build|test|fuzz|bench" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "calcheck: missing packages:$missing (install them with your package manager)" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "calcheck: missing Debian packages:$missing" >&2
    echo "calcheck: run as root, or: sudo apt-get install$missing" >&2
    exit 1
fi
echo "calcheck: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
    echo "calcheck: apt-get install$missing failed" >&2
    exit 1
}
