#!/bin/sh
# Starts Hangtime from the unpacked tarball (this folder may be anywhere). The binary links
# to the system's FFmpeg libraries and cannot start without them, so check them first and
# say what to install instead of the loader's error.
here=$(dirname "$(readlink -f "$0")")
bin="$here/bin/hangtime"
missing=$(ldd "$bin" 2>/dev/null | awk '/not found/ { print $1 }' | tr '\n' ' ')
if [ -n "$missing" ]; then
  echo "Hangtime needs FFmpeg 5.1's libraries, which are missing here (${missing% }); install them with: sudo apt-get install libavcodec59 libavformat59 libavutil57 libswscale6" >&2
  exit 2
fi
exec "$bin" "$@"
