#!/usr/bin/python3
"""Reference pixels for ClipPreprocessTest: CLIP's image preprocessing as OpenAI's clip.load does it with Pillow.

torchvision's Resize(224, BICUBIC) on a PIL image: the short side becomes 224, the long side int(224 * long / short)
(truncated), then Image.resize(..., BICUBIC) (antialiased: the kernel is stretched by the downscale factor); then
CenterCrop(224): top/left = int(round((size - 224) / 2)) (Python's round, half to even). Written without torchvision
so that only Pillow is needed (Debian: python3-pil):

    /usr/bin/python3 make_reference.py      # rewrites the input-*.png and expected-*.png files here

The inputs are synthetic and deterministic: gradients, sharp-edged shapes, 1-pixel stripes and a block of LCG noise,
so rounding, ringing and the kernel's width all show. The expected files hold the 224x224 uint8 RGB result before
ToTensor and Normalize.
"""
import hashlib
from PIL import Image

SIZE = 224
CASES = [(320, 240), (321, 240), (75, 100)]  # landscape, landscape with an odd crop margin, portrait upscaled


def make(w, h, seed):
    img = Image.new("RGB", (w, h))
    px = img.load()
    state = seed
    for y in range(h):
        for x in range(w):
            r = x * 255 // (w - 1)
            g = y * 255 // (h - 1)
            b = (x + 2 * y) * 7 % 256
            if (10 * x - 3 * w) ** 2 + (10 * y - 5 * h) ** 2 < (2 * h) ** 2:
                r, g, b = 250, 20, 10
            if 6 * w <= 10 * x < 8 * w and 2 * h <= 10 * y < 4 * h:
                r, g, b = 0, 0, 0
            if 11 * w <= 20 * x < 19 * w and 6 * h <= 10 * y < 9 * h:
                r = g = b = 255 if x % 2 == 0 else 0
            if 5 * x < w and 4 * y < h:
                state = (state * 1103515245 + 12345) & 0x7FFFFFFF
                r, g, b = state >> 7 & 255, state >> 15 & 255, state >> 23 & 255
            px[x, y] = (r, g, b)
    return img


def clip_resize_crop(img):
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = SIZE, int(SIZE * long / short)
    nw, nh = (new_short, new_long) if w <= h else (new_long, new_short)
    if (nw, nh) != (w, h):
        img = img.resize((nw, nh), Image.BICUBIC)
    top = int(round((nh - SIZE) / 2.0))
    left = int(round((nw - SIZE) / 2.0))
    return img.crop((left, top, left + SIZE, top + SIZE)), (nw, nh), (left, top)


if __name__ == "__main__":
    for i, (w, h) in enumerate(CASES):
        src = make(w, h, seed=1234 + i)
        out, resized, corner = clip_resize_crop(src)
        src.save(f"input-{w}x{h}.png", optimize=True)
        out.save(f"expected-{w}x{h}.png", optimize=True)
        print(f"{w}x{h} -> resized {resized[0]}x{resized[1]}, crop at {corner}, "
              f"sha256 {hashlib.sha256(out.tobytes()).hexdigest()[:16]}")
