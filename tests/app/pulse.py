# SPDX-License-Identifier: GPL-3.0-or-later
# pulse.py: what the app's call tests ask the PulseAudio server: devices of
# their own (null sinks, sine sources), the app's streams on them, and the
# audio a sink plays, recorded from its monitor (level and frequency).
import json
import subprocess
import threading
import time

import numpy as np

RATE = 8000             # recordings: mono S16LE, enough for tones below 4 kHz
CHUNK_MS = 20


def pactl(*args):
    return subprocess.run(["pactl", *args], check=True, timeout=30,
                          capture_output=True, text=True).stdout.strip()


def listing(what):
    """`pactl list WHAT` as a list of dicts (pactl 16's JSON output)."""
    return json.loads(pactl("--format=json", "list", what))


def load(module, **args):
    """Loads a module; returns its id for unload()."""
    return pactl("load-module", module, *(f"{k}={v}" for k, v in args.items()))


def unload(module_id):
    subprocess.run(["pactl", "unload-module", module_id], timeout=30)


def index_of(what, name):
    """The index of the sink or source (@what: "sinks", "sources") @name."""
    return next((d["index"] for d in listing(what) if d["name"] == name), None)


def streams(what, pid):
    """The "sink-inputs" or "source-outputs" (@what) of process @pid."""
    return [s for s in listing(what)
            if s.get("properties", {}).get("application.process.id") == str(pid)]


def live_stream(what, pid):
    """The process's one uncorked stream of kind @what, or None (a call
    also keeps a corked stream for its key tones)."""
    live = [s for s in streams(what, pid) if not s.get("corked", False)]
    return live[0] if len(live) == 1 else None


def rms(samples):
    return float(np.sqrt(np.mean(samples.astype(float) ** 2))) if len(samples) else 0.0


def peak_hz(samples, rate=RATE):
    """Dominant frequency (FFT, Hann window)."""
    a = samples.astype(float)
    spectrum = np.abs(np.fft.rfft(a * np.hanning(len(a))))
    return float(np.fft.rfftfreq(len(a), 1 / rate)[np.argmax(spectrum)])


class Monitor:
    """Records what a sink plays, from its monitor source, as it arrives: a
    thread reads parec's output in CHUNK_MS chunks stamped with their
    arrival time (monotonic), so that waiting elsewhere delays nothing."""

    def __init__(self, sink):
        self.proc = subprocess.Popen(["parec", "-d", f"{sink}.monitor", "--raw",
                                      "--format=s16le", "--channels=1", f"--rate={RATE}",
                                      f"--latency-msec={CHUNK_MS}"],
                                     stdout=subprocess.PIPE)
        self.chunks = []            # (arrival, samples)
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        size = RATE * CHUNK_MS // 1000 * 2
        while True:
            data = self.proc.stdout.read(size)
            if len(data) < size:
                return
            with self.lock:
                self.chunks.append((time.monotonic(), np.frombuffer(data, dtype="<i2")))

    def _after(self, start):
        with self.lock:
            return [c for c in self.chunks if c[0] >= start]

    def record(self, seconds, timeout=15):
        """The next @seconds of audio."""
        start = time.monotonic()
        n = int(seconds * 1000 / CHUNK_MS)
        while len(self._after(start)) < n:
            if time.monotonic() > start + timeout or self.proc.poll() is not None:
                raise AssertionError(f"parec gave {len(self._after(start)) * CHUNK_MS} ms of "
                                     f"audio in {timeout} s")
            time.sleep(CHUNK_MS / 1000)
        return np.concatenate([c[1] for c in self._after(start)[:n]])

    def first_sound(self, start, threshold, timeout=10):
        """When (monotonic) the first chunk louder than @threshold (RMS)
        arrived after @start; raises after @timeout."""
        while True:
            loud = [c[0] for c in self._after(start) if rms(c[1]) > threshold]
            if loud:
                return loud[0]
            if time.monotonic() > start + timeout or self.proc.poll() is not None:
                raise AssertionError(f"no sound above RMS {threshold} in {timeout} s")
            time.sleep(CHUNK_MS / 1000)

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.thread.join(timeout=10)
        self.proc.stdout.close()


class Voice:
    """A sine played into a sink (a null sink standing for what a
    microphone hears: its monitor is the microphone)."""

    def __init__(self, sink, hz):
        self.proc = subprocess.Popen(["gst-launch-1.0", "-q", "audiotestsrc", "is-live=true",
                                      f"freq={hz}", "volume=0.4", "!", "audioconvert", "!",
                                      "pulsesink", f"device={sink}"],
                                     stdout=subprocess.DEVNULL)

    def close(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
