"""The control panel: every setting of the run as widgets, bound to the playground's actions."""
from dataclasses import replace

import pygame

from ...core.config import (ACTIVATIONS, DATASET_TABLE, DATASETS_OF, EPOCHS_PER_SECOND,
                            FEATURE_TABLE, INITS, LOSSES, MAX_HIDDEN_LAYERS, MAX_WIDTH,
                            OPTIMIZERS, PROBLEMS, SCHEDULES, SPEEDS, choose)
from ...lessons.experiments import ALL_EXPERIMENTS
from ...lessons.text import _, shown_name
from ..draw import theme as th
from ..draw.theme import text
from ..draw.thumbnails import thumbnail
from ..input.intents import Drag, Hover, Press, Release, Scroll
from ..state import controls
from ..widgets import lesson_gate
from ..widgets.base import Button, Dropdown, Label, Segmented, Slider, Stepper, Toggle, Widget
from ..widgets.compact import Cell, CheckBox, ShortDropdown
from ..widgets.steps import StepList
from .base import View


FIRST_PAGE = 6      # the datasets on the dataset section's first page: those of keys 1-6
#: per stop condition (controls.STOPS): its name in the drop-down and its value's format
STOP_TEXTS = {"stop_epochs": ("panel.stop.stop_epochs", "panel.stop_value.stop_epochs"),
              "stop_loss": ("panel.stop.stop_loss", "panel.stop_value.stop_loss"),
              "early_stop": ("panel.stop.early_stop", "panel.stop_value.early_stop")}


#: Neuron steppers in a row of the network section's first page (a finger's target each):
#: a deeper network's widths take more rows. A layer added takes the width of the one before.
WIDTH_STEPPERS = 8
#: Each weight initialization's (config.INITS) name in the panel
INIT_KEYS = {"auto": "panel.init.auto", "he": "panel.init.he", "xavier": "panel.init.xavier",
             "zeros": "panel.init.zeros", "large": "panel.init.large"}
#: Each activation's short name, for the narrow boxes of the layer table
SHORT_ACTIVATION_KEYS = {"relu": "panel.activation_short.relu",
                         "leaky_relu": "panel.activation_short.leaky_relu",
                         "tanh": "panel.activation_short.tanh",
                         "sigmoid": "panel.activation_short.sigmoid",
                         "gelu": "panel.activation_short.gelu",
                         "linear": "panel.activation_short.linear"}
#: The lesson controls of the network section (its heading hides with the last of them).
NETWORK_CONTROLS = ("layers", "neurons", "features", "extra_features", "activation", "batch_norm",
                    "dropout", "residual", "init")
#: The network section's "More" page: a table of the hidden layers, a row each. Per column
#: (number, neurons, activation, batch norm, dropout, residual link): its heading's key,
#: the heading's hover help, its lesson control, and the setting it edits (framed in
#: compare mode where side B's differs).
LAYER_COLUMNS = ((None, None, None, None),
                 ("panel.layers.neurons", "panel.tip.column.neurons", "neurons", "hidden"),
                 ("panel.layers.activation", "panel.tip.layer_activation", "activation", "activation"),
                 ("panel.layers.batch_norm", "panel.tip.batch_norm", "batch_norm", "batch_norm"),
                 ("panel.layers.dropout", "panel.tip.dropout", "dropout", "dropout"),
                 ("panel.layers.residual", "panel.tip.residual", "residual", "residual"))


class Panel(View):
    """Builds the widgets in a vertical flow; scrolls with the wheel when the window is too
    short for them; redraws its cached surface only when a shown value or the hover changes."""

    def __init__(self, actions):
        self.actions = actions
        self.widgets = []
        self.more = set()             # the sections showing their "More" page

    def layout(self, layout, t):
        self.rect, self.t = layout.panel, t
        self.scroll = 0
        self.grab = None            # (pointer y, scroll) where a finger's drag on no control began
        self.mouse = None
        self._rebuild()

    def _shape(self):
        """What the widgets' places depend on besides the layout: the hidden layers (a
        row of the table each, a row of neuron steppers per eight) and the pages shown."""
        return len(self.actions.session.settings.hidden), frozenset(self.more)

    def _rebuild(self):
        """The widgets anew, at the places of the current shape (the scroll kept)."""
        self.shape = self._shape()
        self.widgets = []
        self._shown = None
        self._build()
        self.surface = pygame.Surface((self.rect.w, max(self.rect.h, self.content_h)))
        self._scroll_to(self.scroll)

    def _current(self):
        """Rebuild the widgets if the network's depth or the pages shown changed since."""
        if self._shape() != self.shape:
            self._rebuild()

    def visible(self, frame):
        return frame.ui.panel_visible

    # -- building -------------------------------------------------------------------------
    def _row(self, h=None):
        h = h or self.t.row
        r = pygame.Rect(self.pad, self.y, self.rect.w - 2 * self.pad, h)
        self.y += h + self.t.px(4)
        return r

    def _cells(self, row, n, gap=None, weights=None):
        """``row`` cut into ``n`` cells, as wide as each other or in proportion to ``weights``."""
        gap = self.t.px(6) if gap is None else gap
        weights = weights or (1,) * n
        unit = (row.w - gap * (n - 1)) / sum(weights)
        lefts = [row.x + sum(weights[:i]) * unit + i * gap for i in range(n)]
        return [pygame.Rect(round(x), row.y, round(w * unit), row.h) for x, w in zip(lefts, weights)]

    def _layer_cells(self, row):
        """A row of the hidden-layer table cut into its columns (``LAYER_COLUMNS``): the
        number, the neurons' stepper (three buttons' width), the activation, the batch-norm
        box, the dropout rate and the residual box; with ``touch`` each target a finger's.
        The two drop-downs get what their short texts need, and share what is left."""
        t = self.t
        gap = t.px(2) if t.touch else t.px(4)
        box = t.target if t.touch else t.tx(24)
        neurons = 2 * t.target + t.tx(28) if t.touch else 3 * t.tx(22)   # − 64 +
        fixed = (t.tx(20), neurons, box, box)
        rest = row.w - sum(fixed) - gap * 5
        needs = (ShortDropdown.width([_(key) for key in SHORT_ACTIVATION_KEYS.values()], t),
                 ShortDropdown.width([f"{p:g}" for p in controls.DROPOUT_STEPS], t))
        act = needs[0] + max(0, rest - sum(needs)) * 3 // 5 if sum(needs) <= rest else rest * 3 // 5
        x, cells = row.x, []
        for w in (*fixed[:2], act, box, rest - act, box):
            cells.append(pygame.Rect(x, row.y, w, row.h))
            x += w + gap
        return cells

    def _heading(self, caption, controls=None, suffix=None, h=None):
        """A section's heading (``h`` high: default, the text's); it hides with the last of
        its lesson ``controls``. A ``suffix`` function adds what changes (the side the panel
        edits)."""
        self.y += self.t.px(4)
        rect = self._row(h or self.t.heading + self.t.px(2))
        label = _Heading(rect, caption, suffix) if suffix else Label(rect, caption)
        label.control = controls
        self.widgets.append(label)

    def _mark(self, setting, rect):
        """Note that the controls in ``rect`` edit ``setting`` (framed in compare mode when
        side B's differs from A's); returns ``rect``."""
        self.marks.append((setting, rect, self.page))
        return rect

    # A section too full for the panel has two pages in the same rows: its first, and its
    # "More" page, which the ⋯ button in its heading flips to (and back).
    def _more_button(self, section, heading):
        """The ⋯ button at the right of ``section``'s ``heading`` rect (made narrower; the
        heading is the last widget added)."""
        t = self.t
        rect = pygame.Rect(0, heading.y, t.tx(34), heading.h)
        rect.right = heading.right
        heading.w = rect.x - t.px(6) - heading.x
        button = _MoreButton(rect, lambda: self._flip(section), lambda: section in self.more,
                             self.widgets[-1].control, self.actions)
        button.tooltip, button.page = _("panel.tip.more"), None
        self.more_buttons[section] = rect
        self.widgets.append(button)

    def _flip(self, section):
        self.more ^= {section}

    def _showing(self, page):
        """Whether widgets of ``page`` ((section, on the "More" page) or None) are shown."""
        return page is None or (page[0] in self.more) == page[1]

    def shown(self, widget):
        """Whether ``widget`` is on screen: on a page shown, and not blank."""
        return self._showing(widget.page) and getattr(widget, "exists", lambda: True)()

    def _build(self):
        t, a = self.t, self.actions
        ui = a.ui
        self.pad = t.px(14)
        self.y = t.px(4)
        self.marks = []
        self.more_buttons = {}        # section: its ⋯ button's rect
        self.page = None              # the page of the widgets being added
        last = []                     # (page, drop-down, tooltip, control): added last

        def add(widget, tooltip, control=None):
            """``widget`` into the panel (on the page being built), with its hover help
            ``tooltip``; it changes lesson control ``control`` (if any)."""
            widget.tooltip, widget.control, widget.page = tooltip, control, self.page
            self.widgets.append(widget)

        def pages(section, first, more, grows=False):
            """Build ``section``'s first page (``first()``) and, in the same rows, its
            "More" page (``more()``). The sections below start under the taller page, or
            with ``grows`` (a page as long as the network is deep) under the one shown."""
            top = self.y
            self.page = (section, False)
            first()
            bottom, self.y = self.y, top
            self.page = (section, True)
            more()
            shown = self.y if section in self.more else bottom
            self.y, self.page = shown if grows else max(self.y, bottom), None
        s = lambda: a.session.settings    # noqa: E731 (read the current settings)
        edited = lambda: _("panel.heading.side", name="AB"[a.selected]) if a.comparing else ""   # noqa: E731
        slider_h = 2 * t.target if t.touch else t.row + t.px(8)    # the track: the lower half

        self._heading(_("panel.heading.run"), h=t.touch and t.target)
        heading = self.widgets[-1].rect       # the language switch shares the heading's row
        switch = pygame.Rect(heading.right - heading.w // 3, heading.y, heading.w // 3, heading.h)
        heading.w = switch.x - heading.x
        add(Button(switch, _("language.name"), a.cycle_language), _("panel.tip.language"))
        play, step, reset, compare = self._cells(self._row(), 4, weights=(4, 3, 3, 3))
        add(Button(play, lambda: _("panel.pause") if ui.playing else _("panel.play"), a.toggle_play,
                   active=lambda: ui.playing), _("panel.tip.play"))
        add(Button(step, _("panel.step"), a.step_epoch), _("panel.tip.step"))
        add(Button(reset, _("panel.reset"), a.reset_weights), _("panel.tip.reset"))
        add(Button(compare, "A|B", a.toggle_compare, active=lambda: a.comparing),
            _("panel.tip.compare"))
        speeds = ", ".join(f"{shown_name('speed', n)} {EPOCHS_PER_SECOND[n]}" for n in SPEEDS
                           if n in EPOCHS_PER_SECOND)
        add(Segmented(self._row(), [shown_name("speed", name) for name in SPEEDS],
                      lambda: SPEEDS.index(ui.speed),
                      lambda i: a.set_speed(SPEEDS[i]), t),
            _("panel.tip.speed", speeds=speeds),
            "speed")

        self._heading(_("panel.heading.dataset"), ("dataset", "noise", "points", "test_ratio", "test_data",
                                  "discretize", "regenerate", "formula", "checker_size"),
                      h=t.touch and t.target)
        heading = self.widgets[-1].rect       # the problem switch shares the heading's row
        self._more_button("dataset", heading)
        caption_w = text(_("panel.heading.dataset"), t.heading, th.TEXT, True).get_width() + t.px(8)
        switch = pygame.Rect(heading.x + caption_w, heading.y, heading.w - caption_w, heading.h)
        heading.w = caption_w
        add(Segmented(switch, [_("panel.classify"), _("panel.regress")], lambda: PROBLEMS.index(s().problem),
                      lambda i: a.set_problem(PROBLEMS[i]), t),
            _("panel.tip.problem"), "dataset")

        def datasets(slots):
            for first in slots[::3]:
                for cell, slot in zip(self._cells(self._row(), 3), range(first, slots[-1] + 1)):
                    add(_DatasetButton(cell, a, slot, cell.h - 2 * t.px(4)),
                        _("panel.tip.dataset"), "dataset")

        def more_datasets():
            datasets(range(FIRST_PAGE, max(len(names) for names in DATASETS_OF.values())))
            formula, squares = self._cells(self._row(), 2)
            add(Button(formula, _("panel.formula"), a.ask_formula_dataset,
                       active=lambda: bool(choose(s().dataset, DATASET_TABLE, "dataset").formula)),
                _("panel.tip.formula"), "formula")
            add(_When(StepList(squares, controls.CHECKER_STEPS, lambda: s().checker_size,
                               lambda v: a.change(checker_size=v),
                               lambda v: _("panel.squares", size=f"{v:g}")),
                      lambda: s().dataset == "checkerboard"),
                _("panel.tip.squares"), "checker_size")
        pages("dataset", lambda: datasets(range(FIRST_PAGE)), more_datasets)
        noise, points, ratio = self._cells(self._row(slider_h), 3, t.px(12))
        add(Slider(noise, _("panel.noise"), controls.NOISE_STEPS, lambda: s().noise,
                   lambda v: a.change(noise=v), lambda v: f"{v:.0%}"),
            _("panel.tip.noise"), "noise")
        add(Slider(points, _("panel.points"), controls.POINT_STEPS, lambda: s().points,
                   lambda v: a.change(points=v)), _("panel.tip.points"), "points")
        add(Slider(ratio, _("panel.test"), controls.TEST_RATIO_STEPS, lambda: s().test_ratio,
                   lambda v: a.change(test_ratio=v), lambda v: f"{v:.0%}"),
            _("panel.tip.test_ratio"),
            "test_ratio")
        show, disc, regen = self._cells(self._row(), 3)
        add(Toggle(show, _("panel.test"), lambda: ui.show_test, a.set_show_test),
            _("panel.tip.show_test"), "test_data")
        add(Toggle(disc, _("panel.discrete"), lambda: ui.discretize, a.set_discretize),
            _("panel.tip.discrete"),
            "discretize")
        add(Button(regen, _("panel.new_data"), a.regenerate),
            _("panel.tip.new_data"), "regenerate")

        self._heading(_("panel.heading.network"), NETWORK_CONTROLS, edited, h=t.touch and t.target)
        self._more_button("network", self.widgets[-1].rect)    # its ⋯ button is a target

        def n():
            """The hidden layers now."""
            return len(s().hidden)

        def layer_count():
            """The layer count's stepper, captioned, in the left of a row (on either page);
            returns the row's right cell."""
            layers, right = self._cells(self._row(), 2)
            self._mark("hidden", layers)
            add(Stepper(layers, n, a.set_layer_count, 0, MAX_HIDDEN_LAYERS), _("panel.tip.layers"),
                "layers")
            add(caption(layers, _("panel.hidden_layers")), _("panel.tip.hidden_layers"), "layers")
            self.y += t.small
            return right

        def caption(cell, words):
            """A small caption under ``cell``."""
            return Label(pygame.Rect(cell.x, cell.bottom + t.px(1), cell.w, t.small), words, "small",
                         th.MUTED, False)

        def network_first():
            act = self._mark("activation", layer_count())
            for first in range(0, max(n(), 1), WIDTH_STEPPERS):
                neurons = self._mark("hidden", self._row(3 * (t.target if t.touch else t.px(24))))
                for layer, cell in enumerate(self._cells(neurons, WIDTH_STEPPERS, t.px(4)), first):
                    add(_LayerStepper(cell, a, layer, vertical=True),
                        _("panel.tip.neurons", n=layer + 1), "neurons")
            for features in (FEATURE_TABLE[:4], FEATURE_TABLE[4:]):
                cells = self._cells(self._mark("features", self._row()), 4)
                for cell, f in zip(cells, features):
                    add(Button(cell, f.label, lambda n=f.name: a.toggle_feature(n),
                               active=lambda n=f.name: n in s().features),
                        _("panel.tip.feature", feature=f.label),
                        "features")
            typed = self._mark("extra_features", cells[-1])     # the last row's free cell
            add(Button(typed, lambda: _("panel.extra", n=len(s().extra_features)) if s().extra_features
                       else _("panel.extra_none"), a.ask_extra_feature,
                       active=lambda: bool(s().extra_features)),
                _("panel.tip.extra"), "extra_features")
            activation = Dropdown(act, [shown_name("activation", name) for name in ACTIVATIONS],
                                  lambda: None if isinstance(s().activation, tuple)
                                  else ACTIVATIONS.index(s().activation),
                                  lambda i: a.change(activation=ACTIVATIONS[i]),
                                  self.rect, _("panel.activation_mixed"))
            last.append((self.page, activation, _("panel.tip.activation"), "activation"))

        def network_more():
            init = self._mark("init", layer_count())
            add(caption(init, _("panel.init_caption")), _("panel.tip.init"), "init")
            last.append((self.page, Dropdown(init, [_(INIT_KEYS[name]) for name in INITS],
                                             lambda: INITS.index(s().init),
                                             lambda i: a.change(init=INITS[i]), self.rect),
                         _("panel.tip.init"), "init"))
            self.y += t.px(2)
            heads = self._layer_cells(self._row(t.small + t.px(4)))
            heads[1] = heads[0].union(heads[1])     # "Neurons" over the numbers too, and each
            heads = [head.inflate(t.px(4), 0) for head in heads]     # heading into the gaps
            rows = [self._layer_cells(self._row()) for _layer in range(n())]
            for k, (head, tip, control, setting) in enumerate(LAYER_COLUMNS):
                if head:
                    add(Cell(heads[k], _(head)), _(tip), control)
                if setting and rows:
                    self._mark(setting, rows[0][k].unionall([row[k] for row in rows]))
            arch = a.layers
            for layer, (number, width, act, bn, drop, res) in enumerate(rows):
                add(Cell(number, str(layer + 1), bold=True), _("panel.tip.layer", n=layer + 1))
                add(_LayerStepper(width, a, layer), _("panel.tip.neurons", n=layer + 1), "neurons")
                last.append((self.page, ShortDropdown(
                    act, [shown_name("activation", name) for name in ACTIVATIONS],
                    lambda l=layer: _(SHORT_ACTIVATION_KEYS[arch().act[l]]),
                    lambda l=layer: ACTIVATIONS.index(arch().act[l]),
                    lambda i, l=layer: a.set_layer(l, activation=ACTIVATIONS[i]), self.rect, t),
                    _("panel.tip.layer_activation"), "activation"))
                add(CheckBox(bn, lambda l=layer: arch().bn[l],
                             lambda on, l=layer: a.set_layer(l, batch_norm=on)),
                    _("panel.tip.batch_norm"), "batch_norm")
                last.append((self.page, ShortDropdown(
                    drop, [f"{p:g}" for p in controls.DROPOUT_STEPS],
                    lambda l=layer: f"{arch().drop[l]:g}",
                    lambda l=layer: listed(controls.DROPOUT_STEPS, arch().drop[l]),
                    lambda i, l=layer: a.set_layer(l, dropout=controls.DROPOUT_STEPS[i]), self.rect, t),
                    _("panel.tip.dropout"), "dropout"))
                add(CheckBox(res, lambda l=layer: arch().res[l],
                             lambda on, l=layer: a.set_layer(l, residual=on),
                             lambda l=layer: a.residual_fits(l),
                             lambda l=layer: a.notify(a.residual_refusal(l)),
                             lambda l=layer: a.residual_refusal(l)),
                    _("panel.tip.residual"), "residual")
        pages("network", network_first, network_more, grows=True)

        self._heading(_("panel.heading.training"), ("learning_rate", "batch", "optimizer", "regularization",
                                                    "loss", "schedule", "stop"), edited,
                      h=t.touch and t.target)     # its ⋯ button is a target
        self._more_button("training", self.widgets[-1].rect)

        def optimization():
            add(Slider(self._mark("eta", self._row(slider_h)), _("panel.eta"), controls.ETA_STEPS,
                       lambda: s().eta, lambda v: a.change(eta=v), controls.format_eta),
                _("panel.tip.eta"),
                "learning_rate")
            add(Slider(self._mark("batch", self._row(slider_h)), _("panel.batch"), controls.BATCH_STEPS,
                       lambda: s().batch, lambda v: a.change(batch=v), controls.format_batch),
                _("panel.tip.batch"),
                "batch")
            add(Segmented(self._mark("optimizer", self._row()), [shown_name("optimizer", name) for name in OPTIMIZERS],
                          lambda: OPTIMIZERS.index(s().optimizer),
                          lambda i: a.change(optimizer=OPTIMIZERS[i]), t),
                _("panel.tip.optimizer"),
                "optimizer")
            kind, rate = self._cells(self._row(slider_h), 2, t.px(14))
            self._mark("l1", self._mark("l2", rate.union(kind)))
            kind.h, kind.y = t.row, kind.bottom - t.row
            add(Segmented(kind, [_("panel.regularization.off"), "L1", "L2"], a.regularization_kind,
                          a.set_regularization_kind, t),
                _("panel.tip.regularization"),
                "regularization")
            add(Slider(rate, _("panel.reg_rate"), controls.REG_STEPS, lambda: ui.reg_rate,
                       a.set_regularization_rate, controls.format_eta),
                _("panel.tip.reg_rate"), "regularization")

        def schedule_and_stop():
            loss = self._mark("loss", self._row())
            add(_When(Segmented(loss, [shown_name("loss", name) for name in LOSSES],
                                lambda: LOSSES.index(s().loss), lambda i: a.change(loss=LOSSES[i]), t),
                      lambda: not s().regression),
                _("panel.tip.loss"), "loss")
            schedule, warmup = self._cells(self._row(), 2)
            self._mark("schedule", schedule)
            self._mark("warmup", warmup)
            schedules = Dropdown(schedule, [_("panel.schedule", name=shown_name("schedule", name)) for name in SCHEDULES],
                                 lambda: SCHEDULES.index(s().schedule),
                                 lambda i: a.change(schedule=SCHEDULES[i]), self.rect)
            last.append((self.page, schedules, _("panel.tip.schedule"), "schedule"))
            add(StepList(warmup, controls.WARMUP_STEPS, lambda: s().warmup, lambda v: a.change(warmup=v),
                         lambda v: _("panel.warmup", n=v)),
                _("panel.tip.warmup"), "schedule")
            period = self._mark("schedule_epochs", self._cells(self._row(), 2)[1])
            add(_When(StepList(period, controls.PERIOD_STEPS, lambda: s().schedule_epochs,
                               lambda v: a.change(schedule_epochs=v), lambda v: _("panel.period", n=v)),
                      lambda: s().schedule != "constant"),
                _("panel.tip.period"), "schedule")
            kind, value = self._cells(self._row(), 2)
            for name in controls.STOPS:
                self._mark(name, kind.union(value))
                add(_When(StepList(value, controls.STOP_STEPS[name], lambda n=name: getattr(s(), n),
                                   lambda v, n=name: a.change(**{n: v}),
                                   lambda v, n=name: _(STOP_TEXTS[n][1], value=f"{v:g}")),
                          lambda n=name: a.stop_kind() and controls.STOPS[a.stop_kind() - 1] == n),
                    _("panel.tip.stop_value"), "stop")
            stops = Dropdown(kind, [_("panel.stop.none")] + [_(STOP_TEXTS[name][0]) for name in controls.STOPS],
                             a.stop_kind, a.set_stop_kind, self.rect)
            last.append((self.page, stops, _("panel.tip.stop"), "stop"))
        pages("training", optimization, schedule_and_stop)
        self._heading(_("panel.heading.experiments"), ("experiments",))
        experiments = Dropdown(self._row(), [f"{i + 1} {_(e.label)}" for i, e in enumerate(ALL_EXPERIMENTS)],
                               lambda: next((i for i, e in enumerate(ALL_EXPERIMENTS)
                                             if e is ui.experiment), None),
                               a.load_experiment, self.rect,
                               _("panel.experiment.choose", n=len(ALL_EXPERIMENTS)))
        last.append((None, experiments, _("panel.tip.experiments"), "experiments"))
        # the drop-downs last, so their open lists are drawn over the widgets below them
        for self.page, dropdown, tooltip, control in last:
            add(dropdown, tooltip, control)
        self.page = None
        self.content_h = self.y + t.px(8)
        self.dropdowns = [dropdown for _page, dropdown, _tip, _control in last]

    # -- events and drawing ---------------------------------------------------------------
    def _local(self, intent):
        """The intent with its position in panel-content coordinates (scrolled)."""
        return replace(intent, pos=(intent.pos[0], intent.pos[1] + self.scroll))

    def handle(self, intent, frame):
        """True when the panel used the intent."""
        self._current()
        inside = self.rect.collidepoint(intent.pos)
        if isinstance(intent, (Hover, Drag)):
            self.mouse = (intent.pos[0], intent.pos[1] + self.scroll) if inside else None
        if isinstance(intent, Scroll):
            if self.content_h <= self.rect.h or self.mouse is None:
                return False
            self._scroll_to(self.scroll - intent.steps * self.t.row)
            return True
        if self.grab and isinstance(intent, (Drag, Release)):   # a finger scrolls the panel
            if isinstance(intent, Drag):
                self._scroll_to(self.grab[1] - (intent.pos[1] - self.grab[0]))
            else:
                self.grab = None
            return True
        local = self._local(intent)
        for dropdown in self.dropdowns:     # a list opens into the part on screen
            dropdown.bounds = pygame.Rect(0, self.scroll, self.rect.w, self.rect.h)
            if dropdown.open and isinstance(intent, Press):
                return dropdown.handle(local)
        if not inside and isinstance(intent, Press):
            return False
        used = any(lesson_gate.handle(w, local, self.actions) for w in self.widgets
                   if self._showing(w.page))
        if not used and isinstance(intent, Press) and self.t.touch:    # laid out for fingers
            self.grab = (intent.pos[1], self.scroll)
            return True
        return used

    def _scroll_to(self, scroll):
        self.scroll = min(max(scroll, 0), max(0, self.content_h - self.rect.h))

    def help_at(self, pos, frame):
        return self.tooltip()

    def tooltip(self):
        """The hover help of the control under the mouse, or None."""
        self._current()
        if self.mouse is None or any(d.open for d in self.dropdowns):
            return None
        for w in self.widgets:
            if w.rect.collidepoint(self.mouse) and self.shown(w):
                return w.tooltip or None
        return None

    def _differing(self, differences):
        """The rects to frame for the settings named in ``differences``: where they are
        edited on the pages shown, else the ⋯ button of the page that edits them."""
        marks = [(setting, rect, page) for setting, rect, page in self.marks if setting in differences]
        seen = {setting for setting, _rect, page in marks if self._showing(page)}
        elsewhere = {page[0] for setting, _rect, page in marks if setting not in seen}
        return [rect for _setting, rect, page in marks if self._showing(page)] + \
            [self.more_buttons[section] for section in elsewhere]

    def draw(self, surface, frame):
        self._current()
        differences = self.actions.differences()
        shown = (tuple((w.state(), lesson_gate.gate(w, self.actions)) for w in self.widgets
                       if self._showing(w.page)),
                 self.mouse, self.scroll, differences, frozenset(self.more))
        if shown != self._shown:
            self._shown = shown
            self.surface.fill(th.PANEL)
            for w in self.widgets:
                if self._showing(w.page):
                    lesson_gate.draw(w, self.surface, self.t, self.mouse, self.actions)
            for rect in self._differing(differences):     # where side B differs from side A
                pygame.draw.rect(self.surface, th.ACCENT, rect.inflate(self.t.px(6), self.t.px(4)),
                                 max(2, self.t.px(2)), border_radius=self.t.radius)
            for dropdown in self.dropdowns:
                if dropdown.open:
                    dropdown.draw_open(self.surface, self.t, self.mouse)
        surface.blit(self.surface, self.rect, pygame.Rect(0, self.scroll, self.rect.w, self.rect.h))
        pygame.draw.line(surface, th.BORDER, self.rect.topright, self.rect.bottomright)


def listed(values, value):
    """The index of ``value`` in ``values``, or None if it is not listed."""
    return values.index(value) if value in values else None


class _Sometimes:
    """Mixed in before a widget class that defines ``exists()``: the widget is there only
    while it is true; blank, without a state and deaf to intents otherwise."""

    def state(self):
        return super().state() if self.exists() else None

    def handle(self, intent):
        return self.exists() and super().handle(intent)

    def draw(self, surface, t, mouse):
        if self.exists():
            super().draw(surface, t, mouse)


class _LayerStepper(_Sometimes, Stepper):
    """Neurons of hidden layer ``layer`` (``vertical``: + above, − below; else − and + as
    wide as the row is high, the number between them); blank while the network has fewer
    layers."""

    def __init__(self, rect, actions, layer, vertical=False):
        self.actions, self.layer = actions, layer
        super().__init__(rect, lambda: actions.session.settings.hidden[layer],
                         lambda w: actions.set_width(layer, w), 1, MAX_WIDTH, vertical)
        if not vertical:
            side = min(rect.h, rect.w * 2 // 5)
            self.minus = pygame.Rect(rect.x, rect.y, side, rect.h)
            self.plus = pygame.Rect(rect.right - side, rect.y, side, rect.h)

    def exists(self):
        return self.layer < len(self.actions.session.settings.hidden)



class _MoreButton(_Sometimes, Button):
    """A section's ⋯ button: it goes with the section's heading when a lesson hides all of
    the section's ``controls``."""

    def __init__(self, rect, on_click, active, controls, actions):
        super().__init__(rect, "⋯", on_click, active)
        self.controls, self.actions = controls, actions

    def exists(self):
        return not all(self.actions.control_state(c) == "hidden" for c in self.controls)



class _When(Widget):
    """``widget``, shown and working only while ``when()`` (and the widget's own ``exists()``,
    if it has one); blank otherwise."""

    def __init__(self, widget, when):
        self.widget, self.when, self.rect = widget, when, widget.rect

    def exists(self):
        return bool(self.when()) and getattr(self.widget, "exists", lambda: True)()

    def state(self):
        return self.widget.state() if self.exists() else None

    def handle(self, intent):
        return self.exists() and self.widget.handle(intent)

    def draw(self, surface, t, mouse):
        if self.exists():
            self.widget.draw(surface, t, mouse)


class _DatasetButton(_Sometimes, Button):
    """Dataset button ``slot``: the slot-th dataset of the current problem, with its
    picture; blank when the problem has fewer datasets."""

    def __init__(self, rect, actions, slot, icon_side):
        self.actions, self.slot, self.icon_side = actions, slot, icon_side
        super().__init__(rect, lambda: shown_name("dataset", self._name()) if self.exists() else "",
                         lambda: actions.load_preset(self._dataset().name),
                         active=lambda: actions.session.settings.dataset == self._name())

    def _dataset(self):
        """The Dataset record of this slot, or None."""
        names = DATASETS_OF[self.actions.session.settings.problem]
        return choose(names[self.slot], DATASET_TABLE, "dataset") if self.slot < len(names) else None

    def _name(self):
        return getattr(self._dataset(), "name", None)

    def exists(self):
        return self._dataset() is not None

    def draw(self, surface, t, mouse):
        if self.exists():
            self.icon = thumbnail(self._name(), self.icon_side)
            super().draw(surface, t, mouse)


class _Heading(Label):
    """A heading with a changing ``suffix`` (a function) after its caption."""

    def __init__(self, rect, caption, suffix):
        super().__init__(rect, caption)
        self.suffix = suffix

    def state(self):
        return self.caption + self.suffix()

    def draw(self, surface, t, mouse):
        surface.blit(text(self.state(), getattr(t, self.size), self.colour, self.bold),
                     self.rect.topleft)
