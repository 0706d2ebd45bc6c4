"""The loss history: per epoch (train loss, train accuracy, test loss, test accuracy), kept
in bounded memory however long training runs.

Epochs are grouped in blocks of ``size`` epochs, each holding every column's min and max
(NaN ignored). While a run has fewer than MOST epochs a block is one epoch, so min = max =
the value; when MOST blocks are full, neighbours merge and ``size`` doubles. So a history is
at most MOST blocks (MOST x 4 columns x min and max x 8 bytes = 512 KB) and still draws as
each pixel column's min-max band for any chart up to MOST / 4 pixels wide; taking in a
chunk of epochs costs O(chunk). The size is the smallest power of two that leaves fewer
than MOST full blocks, so it follows from the number of epochs alone.

A History never changes: ``extended`` returns a new one that shares the block arrays and
writes only past this one's blocks, so a History that another thread is drawing stays valid
while training goes on.
"""
import numpy as np

#: the most blocks a history holds
MOST = 8192
#: chunk ends a history remembers, so a view that still shows one draws exactly its history
KEEP = 64


def block_size(epochs):
    """Epochs per block in a history of ``epochs`` epochs."""
    size = 1
    while epochs // size >= MOST:
        size *= 2
    return size


class History:
    """``len(history)`` epochs as blocks of ``size`` epochs; ``last`` is the newest epoch's
    row. ``history[:m]`` is the history as it stood at the last remembered chunk end by
    epoch m (exactly m for the last KEEP chunks), and ``history[e]`` is ``history[:e + 1]``'s
    last row: what a view still showing an earlier chunk reads."""

    __slots__ = ("epochs", "size", "last", "_lo", "_hi", "_written", "_part", "_earlier")

    def __init__(self, epochs=0, size=1, lo=np.empty((0, 4)), hi=np.empty((0, 4)),
                 part=np.full((2, 4), np.nan), last=np.full(4, np.nan), earlier=()):
        self.epochs, self.size = epochs, size
        self._lo, self._hi = lo, hi                  # full blocks in the first epochs // size rows
        self._written = [epochs // size]             # rows written, shared by all that share lo, hi
        self._part = part                            # min and max of the unfinished block
        self.last = last
        self._earlier = earlier                      # histories at recent chunk ends, newest first

    @classmethod
    def restored(cls, epochs, lo, hi, last):
        """The history of ``epochs`` epochs whose blocks (the unfinished one last) have the
        mins ``lo`` and maxes ``hi``, each (blocks, 4) as ``blocks()`` gives them."""
        size = block_size(epochs)
        full = epochs // size
        lo, hi = np.asarray(lo, float).reshape(-1, 4), np.asarray(hi, float).reshape(-1, 4)
        if len(lo) != len(hi) or len(lo) != -(-epochs // size):
            raise ValueError(f"a history of {epochs} epochs has {-(-epochs // size)} blocks")
        part = np.stack([lo[full:], hi[full:]]).reshape(-1, 4) if epochs > full * size \
            else np.full((2, 4), np.nan)
        return cls(epochs, size, lo[:full].copy(), hi[:full].copy(), part,
                   np.asarray(last, float).reshape(4).copy())

    def __len__(self):
        return self.epochs

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.start is not None or index.step is not None:
                raise IndexError("a history slices as history[:epochs] only")
            return self._at_chunk_end(len(range(self.epochs)[index]))
        e = range(self.epochs)[index]                # IndexError past either end
        return self._at_chunk_end(e + 1).last

    def _at_chunk_end(self, epochs):
        kept = (self, *self._earlier)
        return next((h for h in kept if len(h) <= epochs), kept[-1])

    def after(self, chunk_end):
        """This history, remembering ``chunk_end`` (and what it remembers) as earlier chunk
        ends."""
        h = self._copy()
        h._earlier = (chunk_end._copy(), *chunk_end._earlier)[:KEEP]
        return h

    def _copy(self):
        h = History(self.epochs, self.size, self._lo, self._hi, self._part, self.last)
        h._written = self._written
        return h

    def blocks(self):
        """(starts, lo, hi): each block's first epoch and its (4,) min and max, the
        unfinished last block included."""
        full = self.epochs // self.size
        starts = np.arange(full) * self.size
        if self.epochs == full * self.size:
            return starts, self._lo[:full], self._hi[:full]
        return np.r_[starts, full * self.size], np.r_[self._lo[:full], self._part[:1]], \
            np.r_[self._hi[:full], self._part[1:]]

    def at(self, e):
        """(first epoch, epochs, lo, hi) of the block holding epoch ``e``; the newest epoch
        is a block of its own, its row exact."""
        if e == self.epochs - 1:
            return e, 1, self.last, self.last
        b, full = e // self.size, self.epochs // self.size
        if b < full:
            return b * self.size, self.size, self._lo[b], self._hi[b]
        return full * self.size, self.epochs - full * self.size, self._part[0], self._part[1]

    def extended(self, rows):
        """This history followed by ``rows`` (epochs, 4)."""
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
        if not len(rows):
            return self
        size, lo, hi, written = self.size, self._lo, self._hi, self._written
        full, k = self.epochs // size, self.epochs % size     # k epochs in the unfinished block
        if written[0] != full:       # another history went on from these arrays: copy them
            lo, hi, written = lo[:full].copy(), hi[:full].copy(), [full]
        part = self._part.copy()
        i = 0
        while i < len(rows):
            if k == 0 and len(rows) - i >= size:       # whole blocks straight from the rows
                count = min((len(rows) - i) // size, MOST - full)
                blocks = rows[i:i + count * size].reshape(count, size, 4)
                new_lo, new_hi = np.fmin.reduce(blocks, axis=1), np.fmax.reduce(blocks, axis=1)
                i += count * size
            else:                                      # into the unfinished block
                take = min(size - k, len(rows) - i)
                part[0] = np.fmin(part[0], np.fmin.reduce(rows[i:i + take], axis=0))
                part[1] = np.fmax(part[1], np.fmax.reduce(rows[i:i + take], axis=0))
                i, k = i + take, k + take
                if k < size:
                    break
                new_lo, new_hi, count, k = part[:1].copy(), part[1:].copy(), 1, 0
                part[:] = np.nan
            if full + count > len(lo):                 # grow by doubling (a new array, so
                grown = min(MOST, max(1024, 2 * (full + count)))   # older histories keep theirs)
                lo, hi = _grown(lo[:full], grown), _grown(hi[:full], grown)
                written = [full]
            lo[full:full + count], hi[full:full + count] = new_lo, new_hi
            full += count
            written[0] = full
            if full == MOST:                           # merge neighbours (into new arrays)
                lo, hi = _grown(np.fmin(lo[0::2], lo[1::2]), MOST), \
                    _grown(np.fmax(hi[0::2], hi[1::2]), MOST)
                size, full, written = 2 * size, MOST // 2, [MOST // 2]
        h = History(self.epochs + len(rows), size, lo, hi, part, rows[-1].copy())
        h._written = written
        return h


def _grown(a, rows):
    """``a`` at the top of a new (rows, 4) array."""
    out = np.empty((rows, 4))
    out[:len(a)] = a
    return out
