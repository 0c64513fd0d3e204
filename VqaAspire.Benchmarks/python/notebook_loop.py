"""The reference notebook's preparation loop, as a baseline: single-threaded PIL.

For each image: open, convert to RGB, save as JPEG at quality 50, base64-encode; for each of its questions,
build the chat message list (system, user with question and image, assistant answer) and json.dump it as one line.
Usage: python3 notebook_loop.py IMAGE_FOLDER OUTPUT_JSONL QUESTIONS_PER_IMAGE
Prints: images=<n> seconds=<s> cpu=<process CPU seconds, user+sys>
"""
import base64
import io
import json
import os
import sys
import time

from PIL import Image

SYSTEM = "You look at the cover of a book and answer one question about it."


def main():
    folder, output, per_image = sys.argv[1], sys.argv[2], int(sys.argv[3])
    names = sorted(os.listdir(folder))
    start = time.perf_counter()
    cpu_start = time.process_time()
    with open(output, "w", encoding="utf-8") as out:
        for name in names:
            with open(os.path.join(folder, name), "rb") as f:
                image = Image.open(io.BytesIO(f.read())).convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=50)
            url = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("utf-8")
            for q in range(per_image):
                line = {"messages": [
                    {"role": "system", "content": SYSTEM},
                    {"role": "user", "content": [
                        {"type": "text", "text": f"Question {q} about {name}?"},
                        {"type": "image_url", "image_url": {"url": url}}]},
                    {"role": "assistant", "content": f"Answer {q}"}]}
                json.dump(line, out)
                out.write("\n")
    print(f"images={len(names)} seconds={time.perf_counter() - start:.4f} cpu={time.process_time() - cpu_start:.4f}")


if __name__ == "__main__":
    main()
