"""Memory an upload takes: a large camera photo goes through the pipeline in
a fresh process, whose peak resident size is read from getrusage.

Before the pipeline was bounded a 36-megapixel JPEG took 414 MB above the
process's own; the README (Production) records the numbers.
"""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from PIL import Image

pytestmark = pytest.mark.slow

# What an admin upload runs, minus the database row: the form field (decode,
# checks, re-encoding), storage under the field's name, then the renditions.
PIPELINE = """
import json, os, resource, sys
import django

django.setup()
from django.core.files.uploadedfile import UploadedFile
from articles.forms import CleanImageField
from articles.images import make_renditions
from articles.models import Photo

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux

baseline = peak_mb()
with open(sys.argv[1], "rb") as f:
    cleaned = CleanImageField().clean(UploadedFile(f, "camera.jpg", size=os.path.getsize(f.name)))
photo = Photo(pk=1)
photo.image.save(cleaned.name, cleaned, save=False)
del cleaned
renditions = make_renditions(photo)
print(json.dumps({"baseline": baseline, "peak": peak_mb(), "stored": [photo.width, photo.height],
                  "widest": renditions[-1]["width"]}))
"""


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline jpeg", "progressive jpeg"])
def test_a_36_megapixel_jpeg_takes_under_200_mb(tmp_path, progressive):
    # Smooth shapes with grain, like a photo; 7360 × 4912 as a 36 MP camera makes.
    grain = Image.effect_noise((920, 614), 60).convert("RGB")
    path = tmp_path / "camera.jpg"
    grain.resize((7360, 4912), Image.Resampling.BICUBIC).save(
        path, quality=92, progressive=progressive
    )

    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", PIPELINE, str(path)],
        cwd=settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "usip_cms.settings",
            "MEDIA_ROOT": str(tmp_path / "media"),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    assert measured["stored"] == [3680, 2456]
    assert measured["widest"] == 1600
    assert measured["peak"] - measured["baseline"] < 200, measured
