/* hail-call-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-call-window.h"

#include <glib/gi18n.h>

#include <string.h>

enum {
  PROP_0,
  PROP_CALL,
  PROP_DEVICES,
  N_PROPS
};

struct _HailCallWindow {
  AdwWindow parent_instance;

  /* template children */
  AdwAvatar *avatar;
  GtkLabel *peer_label;
  GtkLabel *address_label;
  GtkLabel *state_label;
  GtkBox *incoming_box;
  GtkButton *answer_button;
  GtkButton *decline_button;
  GtkButton *hangup_button;
  GtkBox *controls_box;
  GtkToggleButton *mute_button;
  GtkToggleButton *hold_button;
  GtkToggleButton *keypad_button;
  GtkRevealer *keypad_revealer;
  GtkLevelBar *input_level;
  GtkLevelBar *output_level;
  GtkDropDown *input_dropdown;
  GtkDropDown *output_dropdown;
  GtkRevealer *other_revealer;
  GtkLabel *other_label;
  GtkButton *other_answer_button;
  GtkButton *other_swap_button;
  GtkButton *other_end_button;
  GtkMenuButton *details_button;
  GtkPopover *details_popover;
  GtkLabel *codec_label;
  GtkLabel *encryption_label;
  GtkLabel *delay_label;
  GtkLabel *loss_label;
  GtkLabel *late_label;
  GtkWidget *quality_warning;

  /* owned references */
  HailCallView *call;
  HailCallView *other;
  HailMediaDevices *devices;
  GBindingGroup *bindings;
  GSignalGroup *signals;
  GSignalGroup *other_signals;
  GSignalGroup *quality_signals;

  /* quality of the call in front */
  guint details_id;               /* refreshes the open "Call Details" */
  HailCallQuality loss_since;     /* where the loss now is counted from */
  gboolean has_loss_since;
  gboolean poor_loss;
};

static const char * const toggle_actions[] = {
  "call.toggle-mute", "call.toggle-hold", "call.toggle-keypad",
};

/* All with Control. Hang-up declines a ringing call: one key ends the
 * call in any state. */
static const struct {
  guint keyval;
  const char *action;
} control_keys[] = {
  { GDK_KEY_w, "window.close" },
  { GDK_KEY_Return, "call.answer" },
  { GDK_KEY_KP_Enter, "call.answer" },
  { GDK_KEY_e, "call.hang-up" },
  { GDK_KEY_m, "call.toggle-mute" },
  { GDK_KEY_h, "call.toggle-hold" },
  { GDK_KEY_k, "call.toggle-keypad" },
};

static const struct {
  guint keyval;
  const char *digit;
} dtmf_keys[] = {
  { GDK_KEY_0, "0" }, { GDK_KEY_1, "1" }, { GDK_KEY_2, "2" }, { GDK_KEY_3, "3" },
  { GDK_KEY_4, "4" }, { GDK_KEY_5, "5" }, { GDK_KEY_6, "6" }, { GDK_KEY_7, "7" },
  { GDK_KEY_8, "8" }, { GDK_KEY_9, "9" }, { GDK_KEY_asterisk, "*" },
  { GDK_KEY_numbersign, "#" },
  { GDK_KEY_KP_0, "0" }, { GDK_KEY_KP_1, "1" }, { GDK_KEY_KP_2, "2" }, { GDK_KEY_KP_3, "3" },
  { GDK_KEY_KP_4, "4" }, { GDK_KEY_KP_5, "5" }, { GDK_KEY_KP_6, "6" }, { GDK_KEY_KP_7, "7" },
  { GDK_KEY_KP_8, "8" }, { GDK_KEY_KP_9, "9" }, { GDK_KEY_KP_Multiply, "*" },
};

G_DEFINE_FINAL_TYPE (HailCallWindow, hail_call_window, ADW_TYPE_WINDOW)

static GParamSpec *properties[N_PROPS];

static char *
state_text (HailCallView *call)
{
  g_autofree char *reason = NULL;
  guint duration = 0;
  gboolean held = FALSE;

  g_object_get (call, "end-reason", &reason, "duration", &duration, "held", &held, NULL);
  switch (hail_call_view_get_state (call))
    {
    case HAIL_CALL_VIEW_STATE_INCOMING:
      return g_strdup (_("Incoming call"));
    case HAIL_CALL_VIEW_STATE_DIALING:
      return g_strdup (_("Calling…"));
    case HAIL_CALL_VIEW_STATE_RINGING:
      return g_strdup (_("Ringing…"));
    case HAIL_CALL_VIEW_STATE_ACTIVE:
      {
        g_autofree char *clock = hail_call_view_format_duration (duration);

        if (held)
          /* Translators: %s is the call's duration, e.g. 1:05 */
          return g_strdup_printf (_("On hold · %s"), clock);
        return g_steal_pointer (&clock);
      }
    case HAIL_CALL_VIEW_STATE_ENDED:
    default:
      if (reason != NULL && *reason != '\0')
        /* Translators: %s says why the call failed or ended */
        return g_strdup_printf (_("Call ended: %s"), reason);
      return g_strdup (_("Call ended"));
    }
}

/* ---- call quality ---- */

static void
update_details (HailCallWindow *self)
{
  HailCallQuality quality;
  g_autofree char *codec = NULL;
  g_autofree char *delay = NULL;
  g_autofree char *loss = NULL;
  g_autofree char *late = NULL;
  gboolean running = self->call != NULL && hail_call_view_get_quality (self->call, &quality);

  gtk_widget_set_visible (GTK_WIDGET (self->encryption_label), running);
  gtk_widget_set_visible (GTK_WIDGET (self->delay_label), running);
  gtk_widget_set_visible (GTK_WIDGET (self->loss_label), running);
  gtk_widget_set_visible (GTK_WIDGET (self->late_label), running);
  if (!running)
    {
      gtk_label_set_text (self->codec_label, _("No audio yet"));
      return;
    }
  codec = hail_call_quality_dup_codec_text (&quality);
  gtk_label_set_text (self->codec_label, codec);
  gtk_label_set_text (self->encryption_label, quality.encrypted ? _("Encrypted (SRTP)")
                                                                : _("Not encrypted"));
  /* Translators: how long received audio waits before it plays */
  delay = g_strdup_printf (_("Delay %u ms"), quality.delay_ms);
  gtk_label_set_text (self->delay_label, delay);
  /* A lost packet never arrived: it counts against all that were due. */
  loss = g_strdup_printf (_("Lost %.1f %% of packets"),
                          hail_call_quality_percent (quality.lost,
                                                     quality.received + quality.lost));
  gtk_label_set_text (self->loss_label, loss);
  /* Translators: packets that came too late to be played */
  late = g_strdup_printf (_("Late %.1f %% of packets"),
                          hail_call_quality_percent (quality.late, quality.received));
  gtk_label_set_text (self->late_label, late);
}

static gboolean
details_tick_cb (gpointer user_data)
{
  HailCallWindow *self = user_data;

  update_details (self);
  return G_SOURCE_CONTINUE;
}

/* The figures move while "Call Details" is open, at most once a second,
 * and cost nothing while it is closed. */
static void
details_visible_cb (HailCallWindow *self)
{
  g_clear_handle_id (&self->details_id, g_source_remove);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->details_popover)))
    return;
  update_details (self);
  self->details_id = g_timeout_add_seconds (1, details_tick_cb, self);
}

/* The call in front changed, or its audio ended: nothing to compare with. */
static void
reset_quality (HailCallWindow *self)
{
  self->has_loss_since = FALSE;
  self->poor_loss = FALSE;
  gtk_widget_set_visible (self->quality_warning, FALSE);
}

/* Runs on the call's second tick and on "quality-changed": the warning
 * judges the loss since the last judgement with enough packets, so that
 * it shows a link going bad now, not a bad minute long ago. */
static void
update_quality (HailCallWindow *self)
{
  HailCallQuality quality;
  double loss;

  if (self->call == NULL || !hail_call_view_get_quality (self->call, &quality))
    {
      reset_quality (self);
      return;
    }
  if (!self->has_loss_since)
    {
      self->loss_since = quality;
      self->has_loss_since = TRUE;
    }
  else if (hail_call_quality_loss_between (&self->loss_since, &quality, &loss))
    {
      self->poor_loss = hail_call_quality_is_poor (&quality, loss);
      self->loss_since = quality;
    }
  else if (quality.received < self->loss_since.received ||
           quality.lost < self->loss_since.lost)
    self->loss_since = quality;
  gtk_widget_set_visible (self->quality_warning,
                          self->poor_loss || hail_call_quality_is_poor (&quality, 0.0));
  if (gtk_widget_get_visible (GTK_WIDGET (self->details_popover)))
    update_details (self);
}

static void
update_other (HailCallWindow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  gboolean incoming;

  if (self->other != NULL && hail_call_view_get_state (self->other) == HAIL_CALL_VIEW_STATE_ENDED)
    {
      g_signal_group_set_target (self->other_signals, NULL);
      g_clear_object (&self->other);
    }
  gtk_revealer_set_reveal_child (self->other_revealer, self->other != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.answer-other", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.swap", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.hang-up-other", self->other != NULL);
  if (self->other == NULL)
    return;

  name = hail_call_view_dup_display_name (self->other);
  incoming = hail_call_view_get_state (self->other) == HAIL_CALL_VIEW_STATE_INCOMING;
  if (incoming)
    /* Translators: call waiting; %s is who is calling */
    text = g_strdup_printf (_("%s is calling"), name);
  else
    /* Translators: %s is the person on hold while you talk to someone else */
    text = g_strdup_printf (_("%s is on hold"), name);
  gtk_label_set_text (self->other_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->other_answer_button), incoming);
  gtk_widget_set_visible (GTK_WIDGET (self->other_swap_button), !incoming);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.answer-other", incoming);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.swap",
                                 !incoming && self->call != NULL &&
                                 hail_call_view_get_state (self->call) ==
                                 HAIL_CALL_VIEW_STATE_ACTIVE);
}

static void
update_call (HailCallWindow *self)
{
  HailCallViewState state = hail_call_view_get_state (self->call);
  g_autofree char *name = hail_call_view_dup_display_name (self->call);
  g_autofree char *peer = hail_call_view_dup_peer (self->call);
  g_autofree char *text = state_text (self->call);

  gtk_window_set_title (GTK_WINDOW (self), name);
  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_text (self->peer_label, name);
  gtk_label_set_text (self->address_label, peer != NULL ? peer : "");
  gtk_widget_set_visible (GTK_WIDGET (self->address_label), g_strcmp0 (name, peer) != 0);
  gtk_label_set_text (self->state_label, text);

  gtk_widget_set_visible (GTK_WIDGET (self->incoming_box),
                          state == HAIL_CALL_VIEW_STATE_INCOMING);
  gtk_widget_set_visible (GTK_WIDGET (self->controls_box),
                          state != HAIL_CALL_VIEW_STATE_INCOMING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.answer",
                                 state == HAIL_CALL_VIEW_STATE_INCOMING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.decline",
                                 state == HAIL_CALL_VIEW_STATE_INCOMING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.hang-up",
                                 state != HAIL_CALL_VIEW_STATE_ENDED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.dtmf",
                                 state == HAIL_CALL_VIEW_STATE_ACTIVE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mute_button),
                            state == HAIL_CALL_VIEW_STATE_ACTIVE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hold_button),
                            state == HAIL_CALL_VIEW_STATE_ACTIVE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->keypad_button),
                            state == HAIL_CALL_VIEW_STATE_ACTIVE);
  for (guint i = 0; i < G_N_ELEMENTS (toggle_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), toggle_actions[i],
                                   state == HAIL_CALL_VIEW_STATE_ACTIVE);
  if (state != HAIL_CALL_VIEW_STATE_ACTIVE)
    gtk_toggle_button_set_active (self->keypad_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->details_button),
                          state == HAIL_CALL_VIEW_STATE_ACTIVE);
  if (state != HAIL_CALL_VIEW_STATE_ACTIVE)
    {
      gtk_popover_popdown (self->details_popover);
      reset_quality (self);
    }
  else if (!self->has_loss_since)
    /* A call just answered or come forward may already be in trouble. */
    update_quality (self);

  /* When the call in front ends, the held or waiting one comes forward. */
  if (state == HAIL_CALL_VIEW_STATE_ENDED && self->other != NULL &&
      hail_call_view_get_state (self->other) != HAIL_CALL_VIEW_STATE_ENDED)
    {
      HailCallView *next = g_steal_pointer (&self->other);

      g_signal_group_set_target (self->other_signals, NULL);
      g_set_object (&self->call, next);
      g_object_unref (next);
      reset_quality (self);
      g_binding_group_set_source (self->bindings, self->call);
      g_signal_group_set_target (self->signals, self->call);
      g_signal_group_set_target (self->quality_signals, self->call);
      update_call (self);
      return;
    }
  update_other (self);
}

static void
report (HailCallWindow *self,
        GError         *error)
{
  /* Translators: %s says why the call action failed */
  g_autofree char *text = g_strdup_printf (_("Failed: %s"), error->message);

  gtk_label_set_text (self->state_label, text);
}

static void
answer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!hail_call_view_answer (self->call, &error))
    report (self, error);
}

static void
hang_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!hail_call_view_hang_up (self->call, &error))
    report (self, error);
}

static void
dtmf_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (widget);
  const char *digit = g_variant_get_string (param, NULL);
  g_autoptr(GError) error = NULL;

  if (digit[0] == '\0' || digit[1] != '\0' || strchr ("0123456789*#ABCD", digit[0]) == NULL)
    return;
  if (!hail_call_view_send_dtmf (self->call, digit[0], &error))
    report (self, error);
}

/* The keyboard's way to the mute, hold and keypad toggles: the buttons stay
 * the state (bound to the call), the action only flips them. */
static void
toggle_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (widget);
  GtkToggleButton *button;

  if (g_str_equal (action_name, "call.toggle-mute"))
    button = self->mute_button;
  else if (g_str_equal (action_name, "call.toggle-hold"))
    button = self->hold_button;
  else
    button = self->keypad_button;
  gtk_toggle_button_set_active (button, !gtk_toggle_button_get_active (button));
}

/* Holds the call in front and brings the other one forward. */
static void
swap_calls (HailCallWindow *self)
{
  HailCallView *previous = g_steal_pointer (&self->call);

  self->call = g_steal_pointer (&self->other);
  self->other = previous;
  reset_quality (self);
  g_binding_group_set_source (self->bindings, self->call);
  g_signal_group_set_target (self->signals, self->call);
  g_signal_group_set_target (self->quality_signals, self->call);
  g_signal_group_set_target (self->other_signals, self->other);
  update_call (self);
}

static void
answer_other_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (hail_call_view_get_state (self->call) == HAIL_CALL_VIEW_STATE_ACTIVE)
    g_object_set (self->call, "held", TRUE, NULL);
  if (!hail_call_view_answer (self->other, &error))
    {
      report (self, error);
      return;
    }
  swap_calls (self);
}

static void
swap_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (widget);

  g_object_set (self->call, "held", TRUE, NULL);
  g_object_set (self->other, "held", FALSE, NULL);
  swap_calls (self);
}

static void
hang_up_other_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!hail_call_view_hang_up (self->other, &error))
    report (self, error);
}

static char *
device_name_cb (gpointer item)
{
  return g_strdup (hail_media_device_get_name (HAIL_MEDIA_DEVICE (item)));
}

static void
device_selected_cb (HailCallWindow *self,
                    GParamSpec     *pspec,
                    GtkDropDown    *dropdown)
{
  HailMediaDevice *device = gtk_drop_down_get_selected_item (dropdown);
  const char *property = dropdown == self->input_dropdown ? "input-device" : "output-device";

  if (device != NULL && self->call != NULL)
    g_object_set (self->call, property, hail_media_device_get_id (device), NULL);
}

static void
setup_dropdown (HailCallWindow *self,
                GtkDropDown    *dropdown,
                GListModel     *model,
                const char     *name)
{
  g_autoptr(GtkExpression) expression = NULL;
  GtkWidget *toggle = gtk_widget_get_first_child (GTK_WIDGET (dropdown));

  /* GTK 4.8's drop-down exposes its inner toggle button unnamed to screen
   * readers, and offers no API to name it: name it after the drop-down. */
  if (GTK_IS_TOGGLE_BUTTON (toggle))
    gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);

  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (device_name_cb), NULL, NULL);
  gtk_drop_down_set_expression (dropdown, expression);
  gtk_drop_down_set_model (dropdown, model);
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HailMediaDevice) device = g_list_model_get_item (model, i);

      if (hail_media_device_get_is_default (device))
        gtk_drop_down_set_selected (dropdown, i);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (dropdown),
                            model != NULL && g_list_model_get_n_items (model) > 0);
  g_signal_connect_object (dropdown, "notify::selected-item",
                           G_CALLBACK (device_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
hail_call_window_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CALL:
      g_value_set_object (value, self->call);
      break;
    case PROP_DEVICES:
      g_value_set_object (value, self->devices);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_call_window_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CALL:
      self->call = g_value_dup_object (value);
      break;
    case PROP_DEVICES:
      self->devices = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_call_window_constructed (GObject *object)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (object);

  G_OBJECT_CLASS (hail_call_window_parent_class)->constructed (object);

  g_binding_group_bind (self->bindings, "muted", self->mute_button, "active",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_binding_group_bind (self->bindings, "held", self->hold_button, "active",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_binding_group_bind (self->bindings, "input-level", self->input_level, "value",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "output-level", self->output_level, "value",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_set_source (self->bindings, self->call);
  g_signal_group_set_target (self->signals, self->call);
  g_signal_group_set_target (self->quality_signals, self->call);

  setup_dropdown (self, self->input_dropdown,
                  self->devices ? hail_media_devices_get_inputs (self->devices) : NULL,
                  _("Microphone"));
  setup_dropdown (self, self->output_dropdown,
                  self->devices ? hail_media_devices_get_outputs (self->devices) : NULL,
                  _("Speaker"));
  update_call (self);
}

static void
hail_call_window_dispose (GObject *object)
{
  HailCallWindow *self = HAIL_CALL_WINDOW (object);

  if (self->bindings != NULL)
    g_binding_group_set_source (self->bindings, NULL);
  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  if (self->other_signals != NULL)
    g_signal_group_set_target (self->other_signals, NULL);
  if (self->quality_signals != NULL)
    g_signal_group_set_target (self->quality_signals, NULL);
  /* The popover hides as the template goes: no refresh may start then. */
  if (self->details_popover != NULL)
    g_signal_handlers_disconnect_by_data (self->details_popover, self);
  g_clear_handle_id (&self->details_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAIL_TYPE_CALL_WINDOW);
  g_clear_object (&self->bindings);
  g_clear_object (&self->signals);
  g_clear_object (&self->other_signals);
  g_clear_object (&self->quality_signals);
  g_clear_object (&self->call);
  g_clear_object (&self->other);
  g_clear_object (&self->devices);

  G_OBJECT_CLASS (hail_call_window_parent_class)->dispose (object);
}

static void
hail_call_window_class_init (HailCallWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hail_call_window_get_property;
  object_class->set_property = hail_call_window_set_property;
  object_class->constructed = hail_call_window_constructed;
  object_class->dispose = hail_call_window_dispose;

  properties[PROP_CALL] =
    g_param_spec_object ("call", "Call", "The call in front",
                         HAIL_TYPE_CALL_VIEW,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICES] =
    g_param_spec_object ("devices", "Devices", "Microphones and speakers to choose from",
                         HAIL_TYPE_MEDIA_DEVICES,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hail-call-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, avatar);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, peer_label);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, address_label);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, incoming_box);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, answer_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, decline_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, hangup_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, controls_box);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, mute_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, hold_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, keypad_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, keypad_revealer);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, input_level);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, output_level);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, input_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, output_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, other_revealer);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, other_label);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, other_answer_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, other_swap_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, other_end_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, details_button);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, details_popover);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, codec_label);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, encryption_label);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, delay_label);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, loss_label);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, late_label);
  gtk_widget_class_bind_template_child (widget_class, HailCallWindow, quality_warning);

  gtk_widget_class_install_action (widget_class, "call.answer", NULL, answer_action);
  gtk_widget_class_install_action (widget_class, "call.decline", NULL, hang_up_action);
  gtk_widget_class_install_action (widget_class, "call.hang-up", NULL, hang_up_action);
  gtk_widget_class_install_action (widget_class, "call.dtmf", "s", dtmf_action);
  gtk_widget_class_install_action (widget_class, "call.answer-other", NULL,
                                   answer_other_action);
  gtk_widget_class_install_action (widget_class, "call.swap", NULL, swap_action);
  gtk_widget_class_install_action (widget_class, "call.hang-up-other", NULL,
                                   hang_up_other_action);
  for (guint i = 0; i < G_N_ELEMENTS (toggle_actions); i++)
    gtk_widget_class_install_action (widget_class, toggle_actions[i], NULL, toggle_action);

  /* Every control has a key; ui/hail-shortcuts-window.ui lists them. */
  for (guint i = 0; i < G_N_ELEMENTS (control_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, control_keys[i].keyval, GDK_CONTROL_MASK,
                                         control_keys[i].action, NULL);
  /* Digits go to the peer as typed, keypad shown or not. */
  for (guint i = 0; i < G_N_ELEMENTS (dtmf_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, dtmf_keys[i].keyval, 0, "call.dtmf",
                                         "s", dtmf_keys[i].digit);
}

static void
hail_call_window_init (HailCallWindow *self)
{
  static const char *call_props[] = {
    "notify::state", "notify::duration", "notify::held", "notify::end-reason",
    "notify::peer-name",
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bindings = g_binding_group_new ();
  self->signals = g_signal_group_new (G_TYPE_OBJECT);
  self->other_signals = g_signal_group_new (G_TYPE_OBJECT);
  /* "quality-changed" is the interface's own: a group of GObjects cannot
   * name it. */
  self->quality_signals = g_signal_group_new (HAIL_TYPE_CALL_VIEW);
  for (guint i = 0; i < G_N_ELEMENTS (call_props); i++)
    {
      g_signal_group_connect_swapped (self->signals, call_props[i],
                                      G_CALLBACK (update_call), self);
      g_signal_group_connect_swapped (self->other_signals, call_props[i],
                                      G_CALLBACK (update_call), self);
    }
  g_signal_group_connect_swapped (self->signals, "notify::duration",
                                  G_CALLBACK (update_quality), self);
  g_signal_group_connect_swapped (self->quality_signals, "quality-changed",
                                  G_CALLBACK (update_quality), self);
  g_signal_connect_object (self->details_popover, "notify::visible",
                           G_CALLBACK (details_visible_cb), self, G_CONNECT_SWAPPED);
}

HailCallWindow *
hail_call_window_new (HailCallView     *call,
                      HailMediaDevices *devices)
{
  g_return_val_if_fail (HAIL_IS_CALL_VIEW (call), NULL);
  g_return_val_if_fail (devices == NULL || HAIL_IS_MEDIA_DEVICES (devices), NULL);

  return g_object_new (HAIL_TYPE_CALL_WINDOW, "call", call, "devices", devices, NULL);
}

HailCallView *
hail_call_window_get_call (HailCallWindow *self)
{
  g_return_val_if_fail (HAIL_IS_CALL_WINDOW (self), NULL);

  return self->call;
}

HailCallView *
hail_call_window_get_other (HailCallWindow *self)
{
  g_return_val_if_fail (HAIL_IS_CALL_WINDOW (self), NULL);

  return self->other;
}

gboolean
hail_call_window_add_call (HailCallWindow *self,
                           HailCallView   *call)
{
  g_return_val_if_fail (HAIL_IS_CALL_WINDOW (self), FALSE);
  g_return_val_if_fail (HAIL_IS_CALL_VIEW (call), FALSE);

  if (call == self->call || call == self->other)
    return TRUE;
  if (hail_call_view_get_state (self->call) == HAIL_CALL_VIEW_STATE_ENDED)
    {
      g_set_object (&self->call, call);
      reset_quality (self);
      g_binding_group_set_source (self->bindings, self->call);
      g_signal_group_set_target (self->signals, self->call);
      g_signal_group_set_target (self->quality_signals, self->call);
    }
  else if (self->other == NULL)
    {
      g_set_object (&self->other, call);
      g_signal_group_set_target (self->other_signals, self->other);
    }
  else
    return FALSE;
  update_call (self);
  return TRUE;
}
