"""PIL as a codec alone, as the notebook uses it: open, convert to RGB, save as JPEG at quality 50 (PIL's default 4:2:0).

No base64 or JSON: this is the codec's share of the notebook loop, to set beside the app's codecs.
Usage: python3 pil_codec.py IMAGE_FOLDER
Prints: images=<n> seconds=<s> cpu=<process CPU seconds, user+sys> bytes=<total JPEG bytes>
"""
import io
import os
import sys
import time

from PIL import Image


def main():
    folder = sys.argv[1]
    names = sorted(os.listdir(folder))
    sources = []
    for name in names:
        with open(os.path.join(folder, name), "rb") as f:
            sources.append(f.read())
    total = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    for data in sources:
        image = Image.open(io.BytesIO(data)).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=50)
        total += buffer.tell()
    print(f"images={len(names)} seconds={time.perf_counter() - start:.4f} cpu={time.process_time() - cpu_start:.4f} bytes={total}")


if __name__ == "__main__":
    main()
