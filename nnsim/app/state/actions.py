"""What the playground can do: every operation that keys, the panel and the views call.

``Actions`` changes the session and the UI state and says what happened in a message; it
never draws, and it trains only when asked to step (through the trainer). Views receive it
instead of the whole app: ``actions.session`` and ``actions.ui`` are what they read.

In compare mode there are two sides, A and B (``actions.sides``, the trainer's ``Side``
records): the settings edit the selected side's session (``actions.session``), while
points, data settings, run control and resets
apply to both, and a new network on either side restarts both from the same weights.
"""
from dataclasses import replace

import numpy as np

from ...core import scenario
from ...core.config import (ACTIVATIONS, DATASET_TABLE, DATASETS_OF, FORMULA_DATASET_OF,
                            MAX_EXTRA_FEATURES, MAX_HIDDEN_LAYERS, MAX_SEED, choose)
from ...core.export import torch_script
from ...core.files import FileError, write_atomic
from ...core.network import architecture, residual_fits
from ...core.pair import SHARED_FIELDS, differing_settings, start_together, twin
from ...core.session import NETWORK_FIELDS, Settings
from ...lessons import text
from ...lessons.experiments import ALL_EXPERIMENTS
from ...lessons.text import _, shown_name
from . import controls
from .stepthrough import StepThrough
from .weight_edit import WeightEdits

MESSAGE_S = (3.0, 10.0)     # a message stays between these many seconds, longer if longer
READ_CHARS_PER_S = 15       # ...at a pace a class can read it


class Actions:
    """The operations of the playground on ``session`` and ``ui``.

    ``window`` provides toggle_fullscreen(), relayout(), screenshot(), toggle_recording(),
    quit(), remember_language(code), and the modal prompts ask_path(), ask_value() and
    ask_formula(); ``trainer`` holds the sides and provides show(sessions), paused(),
    train_now(epochs) and restart_pacing();
    ``clock`` gives seconds.
    """

    def __init__(self, session, ui, window, trainer, clock, experiment_seed=None):
        self.selected, self.ui = 0, ui
        self.window, self.trainer, self.clock = window, trainer, clock
        trainer.show([session])
        self.experiment_seed = experiment_seed     # --seed given: experiments use it
        self.saved = self._snapshot()
        self.added = []          # plane points added by hand, newest last (undo_point)
        self._layers = (None, None)      # (settings, their layers), see layers()
        self.edits = WeightEdits(self)                    # typed weights, Ctrl+Z
        self.stepper = StepThrough(self, self.edits)      # backprop on one point (B)
        self._follow_session()

    def notify(self, message):
        """Show ``message`` at the bottom of the window, long enough to read it."""
        lo, hi = MESSAGE_S
        self.ui.message = message
        self.ui.message_until = self.clock() + min(max(lo, len(message) / READ_CHARS_PER_S), hi)

    @property
    def session(self):
        """The session the panel edits: the selected side's."""
        return self.trainer.sides[self.selected].session

    @property
    def sides(self):
        """The sides on screen (``Side`` records: A, and B in compare mode)."""
        return self.trainer.sides

    @property
    def sessions(self):
        """Each side's session."""
        return [side.session for side in self.trainer.sides]

    @property
    def comparing(self):
        return len(self.trainer.sides) == 2

    # -- run control ----------------------------------------------------------------------
    def toggle_play(self):
        self.ui.playing = not self.ui.playing
        self.trainer.restart_pacing()

    def set_speed(self, name):
        self.ui.speed, self.ui.pace = name, None

    def step_epoch(self):
        """Pause and train exactly one epoch (each side)."""
        self.ui.playing = False
        self.trainer.train_now(1)

    def reset_weights(self):
        """New random weights (the same start on both sides); says whether Space is needed
        to train them."""
        for session in self.sessions:
            session.reset()
        self._start_together()
        self.notify(_("toast.reset" if self.ui.playing else "toast.reset_paused"))

    def _follow_session(self):
        """Keep the UI consistent with the session's settings and network."""
        ui, settings, sizes = self.ui, self.session.settings, self.session.net.sizes
        ui.reg_rate = settings.l1 or settings.l2 or ui.reg_rate
        node = ui.selected_node
        if node and not (node[0] < len(sizes) and node[1] < sizes[node[0]]):
            ui.selected_node = None
        self.set_hidden_layer(ui.hidden_layer)

    def _replace_session(self, session):
        self._set_sides([session])

    def _set_sides(self, sessions, selected=0):
        self.trainer.show(sessions)
        self.selected = selected
        self._follow_session()

    def _start_together(self):
        if self.comparing:
            start_together(*self.sessions)

    # -- compare mode ---------------------------------------------------------------------
    def toggle_compare(self):
        """Compare mode on (B starts as a copy of A: change B's settings to compare) or off
        (the selected side stays)."""
        if self.comparing:
            name = "AB"[self.selected]
            self._set_sides([self.session])
            self.ui.experiment = None
            self.notify(_("toast.compare_off", name=name))
        else:
            self._set_sides([self.session, twin(self.session)], selected=1)
            self.notify(_("toast.compare_on"))

    def compare_with(self, **changes):
        """Compare mode with side B = A plus ``changes`` (e.g. activation="relu"), both
        from the same start; the panel then edits B."""
        if not self.comparing:
            self.toggle_compare()
        self.selected = 1
        self.change(**changes)

    def other_side(self):
        self.select_side(1 - self.selected)

    def select_side(self, side):
        """Let the panel and the network diagram show side ``side`` (0: A, 1: B)."""
        if self.comparing and side != self.selected:
            self.selected = side
            self._follow_session()
            self.notify(_("toast.edits_side", name="AB"[side]))

    def differences(self):
        """The settings in which B differs from A, by name (none outside compare mode)."""
        return differing_settings(*self.sessions) if self.comparing else ()

    # -- settings -------------------------------------------------------------------------
    def change(self, **changes):
        """Apply setting changes (those of the points to both sides, the rest to the
        selected one); a refused value shows why and changes nothing."""
        shared = {k: v for k, v in changes.items() if k in SHARED_FIELDS}
        own = {k: v for k, v in changes.items() if k not in SHARED_FIELDS}
        changed = set()
        try:
            for session in self.sessions:
                changed |= session.update(**shared, **(own if session is self.session else {}))
        except ValueError as error:
            self.notify(str(error).capitalize())
            return
        if changed & NETWORK_FIELDS and self.comparing:
            for session in self.sessions:
                if session.epoch:
                    session.new_network()
            self._start_together()
        self._follow_session()

    def load_preset(self, name, **changes):
        """Dataset preset: regenerate its data with the current noise and point count (and
        ``changes``, e.g. a formula dataset's formula)."""
        self.ui.experiment = None
        self.change(dataset=name, **changes)
        for session in self.sessions:
            session.regenerate()
        self.notify(_("toast.dataset", name=shown_name("dataset", name)))

    def set_problem(self, problem):
        """Classification or regression: the first dataset of that problem, unless the
        current one already poses it."""
        if self.session.settings.problem != problem:
            self.load_preset(DATASETS_OF[problem][0])

    def regenerate(self):
        """New points from a new seed, and fresh weights to learn them."""
        seed = (self.session.settings.seed + 1) % (MAX_SEED + 1)
        for session in self.sessions:
            session.regenerate(seed=seed)
            session.new_network()
        self._start_together()

    def _check(self, **changes):
        """ValueError with one line if the settings cannot take ``changes`` (nothing changes)."""
        replace(self.session.settings, **changes).checked()

    def ask_formula_dataset(self):
        """The prompt for the formula the current problem's formula dataset draws by."""
        s = self.session.settings
        dataset = choose(FORMULA_DATASET_OF[s.problem], DATASET_TABLE, "dataset")
        title, hint = (("prompt.formula.value", "prompt.formula.value_hint") if s.regression
                       else ("prompt.formula.rule", "prompt.formula.rule_hint"))
        self.window.ask_formula(_(title), s.formula or dataset.formula, self.set_formula_dataset,
                                _(hint))

    def set_formula_dataset(self, formula):
        """The current problem's formula dataset, drawn by ``formula``; a bad formula raises
        ValueError (one line, saying where) and changes nothing."""
        dataset = FORMULA_DATASET_OF[self.session.settings.problem]
        self._check(dataset=dataset, formula=formula)
        self.load_preset(dataset, formula=formula)

    def ask_extra_feature(self):
        """The prompt for one more input feature (a formula); it lists the ones there are,
        each removed by a click."""
        extras = self.session.settings.extra_features
        self.window.ask_formula(_("prompt.feature.title"), "", self.add_extra_feature,
                                _("prompt.feature.hint", max=MAX_EXTRA_FEATURES),
                                [(_("prompt.feature.remove", formula=f),
                                  lambda k=k: self.remove_extra_feature(k))
                                 for k, f in enumerate(extras)])

    def add_extra_feature(self, formula):
        """One more input column, ``formula``; a bad one (or one too many) raises ValueError
        and changes nothing."""
        extras = self.session.settings.extra_features + (formula,)
        self._check(extra_features=extras)
        self.change(extra_features=extras)

    def remove_extra_feature(self, k):
        s = self.session.settings
        extras = s.extra_features[:k] + s.extra_features[k + 1:]
        if not extras and not s.features:
            self.notify(_("toast.no_features"))
            return
        self.change(extra_features=extras)

    def stop_kind(self):
        """The stop condition the panel shows: 0 for none, else 1 + the index in
        controls.STOPS of the first one set."""
        s = self.session.settings
        return next((k + 1 for k, name in enumerate(controls.STOPS) if getattr(s, name)), 0)

    def set_stop_kind(self, kind):
        """Stop condition ``kind`` (see ``stop_kind``) at its starting value, the others off."""
        off = Settings()
        self.change(**{name: controls.STOP_START[name] if k + 1 == kind else getattr(off, name)
                       for k, name in enumerate(controls.STOPS)})

    def restore_best(self):
        """Back to the weights of the best epoch early stopping has seen (Ctrl+Z undoes it)."""
        session = self.session
        if session.best is None:
            return
        epoch, theta = session.best[0], session.best_state["theta"]

        def edit(net):
            net.theta[:] = theta
        self.edits.change(_("weight.best", epoch=f"{epoch:,}"), edit)
        self.notify(_("toast.best_restored", epoch=f"{epoch:,}"))

    def set_show_test(self, on):
        self.ui.show_test = bool(on)

    def set_discretize(self, on):
        self.ui.discretize = bool(on)

    def set_layer_count(self, n):
        """``n`` hidden layers: layers taken away go, layers added take the width and the
        settings of the last one (4 neurons, the defaults, after none)."""
        hidden = self.session.settings.hidden
        if not 0 <= n <= MAX_HIDDEN_LAYERS:
            self.notify(_("toast.layer_limit", max=MAX_HIDDEN_LAYERS))
            return
        self._set_hidden(hidden[:n] + (hidden[-1:] or (4,)) * (n - len(hidden)))

    def add_layer(self, direction):
        """One hidden layer more (1) or fewer (-1)."""
        self.set_layer_count(len(self.session.settings.hidden) + direction)

    def set_width(self, layer, width):
        hidden = list(self.session.settings.hidden)
        hidden[layer] = width
        self._set_hidden(tuple(hidden))

    def layers(self):
        """Per hidden layer of the session the panel edits, its activation, batch norm,
        dropout rate and residual link (a ``reference.Arch``; the panel's table asks for it
        many times a frame, so it is kept while the settings are the same)."""
        s = self.session.settings
        if self._layers[0] is not s:
            self._layers = s, architecture(s.sizes, s.activation, s.batch_norm, s.dropout,
                                           s.residual)
        return self._layers[1]

    def residual_fits(self, layer):
        """Whether hidden layer ``layer`` (from 0) can have a residual link: it has the
        width of the hidden layer before it."""
        return residual_fits(self.session.settings.sizes)[layer]

    def _set_hidden(self, hidden):
        """New hidden layer widths; the settings given per layer follow (a layer added
        copies the last one's), and so do the residual links, layer by layer: a link whose
        widths no longer match goes (saying so), and none comes by itself."""
        s, arch = self.session.settings, self.layers()
        n = len(hidden)

        def resized(values, default):
            if not n:                   # no layer: the first one's value waits for the next
                return values[0] if values else default
            return values[:n] + (values[-1:] or (default,)) * (n - len(values))
        changes, default = {}, Settings()
        for name, values in (("activation", arch.act), ("batch_norm", arch.bn), ("dropout", arch.drop)):
            value = getattr(s, name)            # one value for every layer stays so
            changes[name] = resized(values, getattr(default, name)) if isinstance(value, tuple) else value
        fits = residual_fits((s.sizes[0], *hidden, s.sizes[-1]))
        wanted = resized(arch.res, False) if n else ()
        changes["residual"] = tuple(r and f for r, f in zip(wanted, fits))
        lost = [l for l, (r, f) in enumerate(zip(wanted, fits), start=1) if r and not f]
        if lost:
            self.notify(_("toast.residual_lost", layer=lost[0]))
        self.change(hidden=hidden, **changes)

    def set_layer(self, layer, **changes):
        """Hidden layer ``layer`` (from 0) gets ``changes`` of its activation, batch_norm,
        dropout or residual; the other layers keep theirs. A residual link where the widths
        differ is refused, saying why."""
        arch = self.layers()
        if changes.get("residual") and not self.residual_fits(layer):
            self.notify(self.residual_refusal(layer))
            return
        now = {"activation": arch.act, "batch_norm": arch.bn, "dropout": arch.drop,
               "residual": arch.res}
        self.change(**{name: tuple(value if l == layer else v for l, v in enumerate(now[name]))
                       for name, value in changes.items()})

    def residual_refusal(self, layer):
        """Why hidden layer ``layer`` (from 0) cannot have a residual link."""
        hidden = self.session.settings.hidden
        if layer == 0:
            return _("panel.residual.first")
        return _("panel.residual.widths", layer=layer + 1, width=hidden[layer],
                 before=layer, width_before=hidden[layer - 1])

    def toggle_feature(self, name):
        features = set(self.session.settings.features) ^ {name}
        if not features and not self.session.settings.extra_features:
            self.notify(_("toast.no_features"))
            return
        self.change(features=tuple(features))

    def activation_shown(self):
        """The hidden layers' activation the A key steps from: theirs, or the first layer's
        when they differ (the panel then says "mixed"); a choice sets them all."""
        activation = self.session.settings.activation
        return activation if isinstance(activation, str) else activation[0]

    def cycle_activation(self, direction=1):
        i = ACTIVATIONS.index(self.activation_shown())
        self.change(activation=ACTIVATIONS[(i + direction) % len(ACTIVATIONS)])

    def regularization_kind(self):
        s = self.session.settings
        return 1 if s.l1 else 2 if s.l2 else 0

    def set_regularization_kind(self, kind):
        rate = self.ui.reg_rate
        self.change(l1=rate if kind == 1 else 0.0, l2=rate if kind == 2 else 0.0)

    def set_regularization_rate(self, rate):
        self.ui.reg_rate = rate
        self.set_regularization_kind(self.regularization_kind())

    def step_eta(self, direction):
        """The learning rate one listed step up (1) or down (-1)."""
        new = controls.step_through(controls.ETA_STEPS, self.session.settings.eta, direction)
        self.change(eta=new)
        self.notify(_("toast.eta", eta=controls.format_eta(new)))

    def step_batch(self, direction):
        """The batch size one listed step up (1) or down (-1); "full" sits above 256."""
        order = [s for s in controls.BATCH_STEPS if s] + [0]
        value = self.session.settings.batch
        i = order.index(value) if value in order else order.index(32)
        new = order[min(max(i + direction, 0), len(order) - 1)]
        self.change(batch=new)
        self.notify(_("toast.batch", batch=controls.format_batch(new)))

    # -- points ---------------------------------------------------------------------------
    def add_point(self, plane, label):
        """Add a training point at ``plane`` of class ``label`` (regression: class A adds a
        point of value -1, B of +1); False (with a message) if it cannot be."""
        if self.session.settings.regression:
            if label > 1:
                self.notify(_("toast.regression_points"))
                return False
            label = 2.0 * label - 1.0
        elif label >= self.session.settings.n_classes:
            self.notify(_("toast.class_c"))
            return False
        if not all([session.add_point(*plane, label) for session in self.sessions]):
            self.notify(_("toast.point_limit"))
            return False
        self.added.append(plane)
        return True

    def undo_point(self):
        """Take back the last point added by hand that is still there."""
        while self.added:
            plane = self.added.pop()
            if all([session.remove_nearest(*plane, within=0.0) for session in self.sessions]):
                return

    def remove_point(self, plane):
        for session in self.sessions:
            session.remove_nearest(*plane, within=controls.REMOVE_RADIUS)

    def clear_points(self):
        """No points, and a fresh network and history to learn the ones placed next."""
        for session in self.sessions:
            session.clear_points()
            session.new_network()
        self._start_together()

    # -- files ----------------------------------------------------------------------------
    def ask_save(self):
        self.window.ask_path(_("prompt.save"),
                             "nnsim-scenario.json", self.save_to, (".json", ".csv"),
                             confirm_replace=True)

    def ask_open(self):
        self.window.ask_path(_("prompt.open"), "", self.open_from,
                             (".json", ".csv"))

    def ask_export(self):
        self.window.ask_path(_("prompt.export"), "nnsim_model.py",
                             self.export_to, (".py",), confirm_replace=True)

    def _file_action(self, action, done):
        try:
            action()
        except FileError as error:
            self.notify(str(error))
            return False
        self.notify(done)
        return True

    def _snapshot(self):
        """What "unsaved changes" compares: the session and its versions."""
        s = self.session
        return s, s.settings, s.points_version, s.weights_version

    @property
    def unsaved(self):
        return self._snapshot() != self.saved

    def save_to(self, path):
        """A scenario with the weights, or the points alone for a .csv path."""
        s = self.session
        if path.suffix.lower() == ".csv":
            self._file_action(lambda: scenario.write_csv(path, s.X, s.y), _("toast.points_saved", path=path))
        elif self._file_action(lambda: scenario.save(s, path), _("toast.scenario_saved", path=path)):
            self.saved = self._snapshot()

    def open_from(self, path):
        """Load a scenario (it replaces everything), or points from a .csv (they replace the
        points; the network keeps training on them). A bad file changes nothing."""
        if path.suffix.lower() == ".csv":
            def action():
                X, y = scenario.read_csv(path, self.session.settings.n_classes)
                for session in self.sessions:
                    session.set_points(X, y, np.zeros(len(y), dtype=bool))
            self._file_action(action, _("toast.points_loaded", path=path))
            return

        def action():
            self._replace_session(scenario.load(path))
            self.ui.experiment = None
            self.ui.lesson_caption = True
            self.ui.playing = False
            self.saved = self._snapshot()
        self._file_action(action, _("toast.scenario_opened", path=path))

    def restore(self, sessions, selected=0):
        """Bring back the sides of a recovery file (``shell.recovery``), paused; they stay
        unsaved (only a file the user saves counts as saved)."""
        self._set_sides(sessions, selected)
        self.ui.experiment = None
        self.ui.lesson_caption = True
        self.ui.playing = False

    def export_to(self, path):
        self._file_action(lambda: write_atomic(path, torch_script(self.session, path.name)),
                          _("toast.exported", path=path))

    # -- lessons --------------------------------------------------------------------------
    def load_experiment(self, index):
        """'Try this' experiment ``index`` (of ALL_EXPERIMENTS): its settings, points, speed and caption;
        a comparison opens in compare mode (A: part 1, B: part 2); training starts at once."""
        e = ALL_EXPERIMENTS[index]
        self._set_sides(e.sessions(self.experiment_seed))
        self.ui.experiment = e
        self.ui.speed, self.ui.pace = e.speed, e.epochs_per_second
        self.ui.playing = True
        self.ui.show_test = False
        self.trainer.restart_pacing()
        if e.watch_network and self.ui.theory_visible:
            self.ui.theory_visible = False
            self.notify(_("toast.theory_closed"))

    def control_state(self, control):
        """"hidden", "locked" or None: what the open lesson does to ``control`` (a name
        from core.lesson.CONTROLS)."""
        lesson = self.session.lesson
        return lesson.state(control) if lesson else None


    def say_locked(self):
        """Say that the open lesson locks what was just tried."""
        self.notify(_("lesson.locked"))
    def toggle_theory(self):
        self.ui.theory_visible = not self.ui.theory_visible

    def toggle_help(self):
        self.ui.help_visible = not self.ui.help_visible

    def show_intro(self):
        """The "What am I looking at?" card (over the help, which it replaces)."""
        self.ui.help_visible, self.ui.intro_visible = False, True

    # -- inside the network ---------------------------------------------------------------
    def select_node(self, node):
        """Show ``node``'s activation large in the boundary view; the same node again goes back."""
        self.ui.selected_node = None if node == self.ui.selected_node else node

    def set_hidden_space(self, on):
        self.ui.hidden_space = bool(on)

    def _hidden_width(self):
        hidden = self.session.settings.hidden
        return self.session.net.sizes[self.ui.hidden_layer] if hidden else 1

    def set_hidden_layer(self, layer):
        """Show hidden layer ``layer`` in the hidden-space view, its axes kept on two
        different neurons where the layer has two."""
        ui = self.ui
        ui.hidden_layer = min(max(layer, 1), max(len(self.session.settings.hidden), 1))
        width = self._hidden_width()
        ui.hidden_axes = [min(a, width - 1) for a in ui.hidden_axes]
        if ui.hidden_axes[0] == ui.hidden_axes[1] and width > 1:
            ui.hidden_axes = [0, 1]

    def set_hidden_axis(self, axis, neuron):
        self.ui.hidden_axes[axis] = min(max(neuron, 0), self._hidden_width() - 1)

    # -- backprop step-through and weight edits (the keys call these) ---------------------
    def toggle_step_through(self):
        self.stepper.toggle()

    def next_stage_or_epoch(self):
        """→: the step-through's next stage while it runs, else one epoch."""
        if self.stepper.active:
            self.stepper.move(1)
        else:
            self.step_epoch()

    def previous_stage(self):
        self.stepper.move(-1)

    def enter_stage(self):
        """Enter: the step-through's next stage; at the update, take its step."""
        self.stepper.enter()

    def undo(self):
        self.edits.undo()

    # -- touch and the presenter remote ----------------------------------------------------
    def set_pick(self, pick):
        """What a tap (and a plain left click) adds: class 0, 1, 2 or intents.ERASE."""
        self.ui.pick = pick

    def show_picker(self):
        """Show the class picker (a finger touched the screen); panel targets grow."""
        self.ui.picker = True

    def page(self, direction):
        """A presenter remote's Page Down (1) or Page Up (-1): the step-through's next or
        previous stage while it runs, else the next or previous experiment while one is
        open, else play / pause. B and . blank the screen from now until another key."""
        self.ui.remote = True
        if self.stepper.active:
            self.stepper.move(direction)
        elif self.ui.experiment is not None:
            index = ALL_EXPERIMENTS.index(self.ui.experiment) + direction
            if 0 <= index < len(ALL_EXPERIMENTS):
                self.load_experiment(index)
        else:
            self.toggle_play()

    def blank(self):
        """Blank the screen (black) until the next key or press."""
        self.ui.blank = True

    # -- window ---------------------------------------------------------------------------
    def toggle_panel(self):
        self.ui.panel_visible = not self.ui.panel_visible
        self.window.relayout()

    def toggle_fullscreen(self):
        self.window.toggle_fullscreen()

    def cycle_language(self):
        """Show every text in the next language from now on, and at the next start."""
        text.set_language(text.next_language())
        self.window.remember_language(text.language())
        self.window.relayout()
        self.notify(_("toast.language", name=_("language.name")))

    def cycle_theme(self):
        """The next theme (light, high contrast, dark), remembered for the next start."""
        self.notify(_("toast.theme", theme=shown_name("theme", self.window.cycle_theme())))

    def screenshot(self):
        self.window.screenshot()

    def record(self):
        """Start recording the window as a GIF, or stop and save it."""
        self.window.toggle_recording()

    def escape(self):
        """Close the topmost thing: help, step-through, caption, theory panel, selection,
        fullscreen. Never quits (that is Ctrl+Q or the window's close button)."""
        ui = self.ui
        if ui.intro_visible or ui.help_visible:
            ui.intro_visible = ui.help_visible = False
        elif self.stepper.active:
            self.stepper.leave()
        elif ui.experiment:
            ui.experiment = None
        elif self.session.lesson and ui.lesson_caption:
            ui.lesson_caption = False
        elif ui.theory_visible:
            ui.theory_visible = False
        elif ui.selected_node:
            ui.selected_node = None
        elif self.window.fullscreen:
            self.window.toggle_fullscreen()

    def quit(self):
        """Quit; with unsaved changes, the first request only asks."""
        if self.unsaved and not self.ui.quit_asked:
            self.ui.quit_asked = True
            self.notify(_("toast.unsaved"))
            return
        self.window.quit()
