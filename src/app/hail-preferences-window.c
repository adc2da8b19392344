/* hail-preferences-window.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-preferences-window.h"

#include "hail-device-row.h"
#include "hail-media-devices.h"
#include "hail-sip-trace.h"

#include <glib/gi18n.h>

/* The codecs Hail knows, in the names the "codecs" key uses. */
static const struct {
  const char *id;
  const char *name;
  const char *description;
} known_codecs[] = {
  { "opus", "Opus", N_("Best quality, adapts to the network") },
  { "g722", "G.722", N_("Wideband, widely supported by desk phones") },
  { "pcmu", "G.711 µ-law", N_("Narrowband, supported everywhere") },
  { "pcma", "G.711 A-law", N_("Narrowband, supported everywhere") },
};

/* Settings may hold names a newer Hail knows; never list more than this. */
#define MAX_CODECS 16

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

struct _HailPreferencesWindow {
  AdwPreferencesWindow parent_instance;

  /* template children */
  GtkSwitch *background_switch;
  GtkSwitch *login_switch;
  GtkSwitch *echo_switch;
  GtkSpinButton *file_size_spin;
  AdwActionRow *download_folder_row;
  GtkFileChooserNative *folder_chooser;
  AdwComboRow *ring_tone_row;
  GtkListBox *codecs_list;
  AdwPreferencesGroup *devices_group;
  HailDeviceRow *input_row;
  HailDeviceRow *output_row;
  AdwPreferencesPage *trace_page;
  GtkSwitch *trace_switch;
  GtkListView *trace_list;
  GtkTextView *trace_text;

  /* owned references */
  GSettings *settings;
  HailMediaDevices *devices;
  HailSipTrace *trace;           /* NULL until the app gives its engine's */
  GtkSingleSelection *trace_selection;
  HailSipTraceEntry *trace_shown;   /* the entry in trace_text, if any */
  GBinding *trace_binding;
};

G_DEFINE_FINAL_TYPE (HailPreferencesWindow, hail_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static GParamSpec *properties[N_PROPS];

static int
codec_index (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_codecs); i++)
    if (g_str_equal (known_codecs[i].id, id))
      return (int) i;
  return -1;
}

/* The order shown: the known codecs of the key first, in its order, then
 * known codecs the key lacks (so none can be lost from the list). */
static GStrv
codec_order (HailPreferencesWindow *self)
{
  g_auto(GStrv) stored = g_settings_get_strv (self->settings, "codecs");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean seen[G_N_ELEMENTS (known_codecs)] = { FALSE, };

  for (guint i = 0; stored[i] != NULL && i < MAX_CODECS; i++)
    {
      int idx = codec_index (stored[i]);

      if (idx >= 0 && !seen[idx])
        {
          seen[idx] = TRUE;
          g_strv_builder_add (builder, known_codecs[idx].id);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (known_codecs); i++)
    if (!seen[i])
      g_strv_builder_add (builder, known_codecs[i].id);
  return g_strv_builder_end (builder);
}

static void
move_codec_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  HailPreferencesWindow *self = HAIL_PREFERENCES_WINDOW (widget);
  g_auto(GStrv) order = codec_order (self);
  const char *id;
  int delta, n = (int) g_strv_length (order);

  g_variant_get (param, "(&si)", &id, &delta);
  for (int i = 0; i < n; i++)
    {
      int j = i + delta;

      if (!g_str_equal (order[i], id))
        continue;
      if (j >= 0 && j < n)
        {
          char *tmp = order[i];

          order[i] = order[j];
          order[j] = tmp;
          g_settings_set_strv (self->settings, "codecs", (const char * const *) order);
        }
      break;
    }
}

static GtkWidget *
move_button (const char *icon,
             const char *id,
             int         delta,
             const char *label,
             gboolean    sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  /* An action would make the button sensitive again, so the first row's
   * "up" and the last row's "down" get none. */
  if (sensitive)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "prefs.move-codec");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(si)", id, delta);
    }
  else
    gtk_widget_set_sensitive (button, FALSE);
  return button;
}

static void
rebuild_codecs (HailPreferencesWindow *self)
{
  g_auto(GStrv) order = codec_order (self);
  guint n = g_strv_length (order);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->codecs_list))) != NULL)
    gtk_list_box_remove (self->codecs_list, child);

  for (guint i = 0; i < n; i++)
    {
      int idx = codec_index (order[i]);
      const char *name = known_codecs[idx].name;
      g_autofree char *up = NULL;
      g_autofree char *down = NULL;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(known_codecs[idx].description));
      /* Translators: %s is a codec name such as Opus */
      up = g_strdup_printf (_("Move %s Up"), name);
      /* Translators: %s is a codec name such as Opus */
      down = g_strdup_printf (_("Move %s Down"), name);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 move_button ("go-up-symbolic", order[i], -1, up, i > 0));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 move_button ("go-down-symbolic", order[i], 1, down, i + 1 < n));
      gtk_list_box_append (self->codecs_list, row);
    }
}

static void
codecs_changed_cb (HailPreferencesWindow *self)
{
  rebuild_codecs (self);
}

/* The folder received files go to, as the core engine reads it: the
 * setting, else the XDG download folder, else home. */
GFile *
hail_preferences_window_dup_download_folder (GSettings *settings)
{
  g_autofree char *path = g_settings_get_string (settings, "download-folder");
  const char *fallback;

  if (path != NULL && *path != '\0')
    return g_file_new_for_path (path);
  fallback = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  return g_file_new_for_path (fallback != NULL ? fallback : g_get_home_dir ());
}

static void
show_download_folder (HailPreferencesWindow *self)
{
  g_autoptr(GFile) folder = hail_preferences_window_dup_download_folder (self->settings);
  g_autofree char *name = g_file_get_parse_name (folder);

  adw_action_row_set_subtitle (self->download_folder_row, name);
}

static void
folder_chosen_cb (HailPreferencesWindow *self,
                  int                    response)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->folder_chooser))) != NULL &&
      g_file_peek_path (folder) != NULL)
    g_settings_set_string (self->settings, "download-folder", g_file_peek_path (folder));
  g_clear_object (&self->folder_chooser);
}

/* GtkFileDialog is GTK 4.10: the native chooser uses the portal where
 * there is one. */
static void
choose_download_folder_cb (HailPreferencesWindow *self)
{
  g_autoptr(GFile) current = hail_preferences_window_dup_download_folder (self->settings);

  if (self->folder_chooser != NULL)
    return;
  self->folder_chooser = gtk_file_chooser_native_new (_("Download Folder"), GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                      _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->folder_chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->folder_chooser), current, NULL);
  g_signal_connect_object (self->folder_chooser, "response", G_CALLBACK (folder_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->folder_chooser));
}

#define MEGABYTE (1024 * 1024)

/* "max-file-size" is in bytes; the spin button shows whole megabytes. */
static gboolean
bytes_to_megabytes (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_double (value, (double) (g_variant_get_uint64 (variant) / MEGABYTE));
  return TRUE;
}

static GVariant *
megabytes_to_bytes (const GValue       *value,
                    const GVariantType *type,
                    gpointer            user_data)
{
  return g_variant_new_uint64 ((guint64) g_value_get_double (value) * MEGABYTE);
}

static gboolean
ring_tone_get_mapping (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  g_value_set_uint (value, g_str_equal (g_variant_get_string (variant, NULL), "silent") ? 1 : 0);
  return TRUE;
}

static GVariant *
ring_tone_set_mapping (const GValue       *value,
                       const GVariantType *expected_type,
                       gpointer            user_data)
{
  return g_variant_new_string (g_value_get_uint (value) == 1 ? "silent" : "system");
}

static void
trace_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *first_line = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
  gtk_label_set_xalign (GTK_LABEL (first_line), 0);
  gtk_label_set_ellipsize (GTK_LABEL (first_line), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (first_line, TRUE);
  gtk_box_append (GTK_BOX (box), first_line);
  gtk_box_append (GTK_BOX (box), gtk_label_new (NULL));
  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != first_line)
      gtk_widget_add_css_class (child, "dim-label");
  gtk_list_item_set_child (item, box);
}

static void
trace_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  HailSipTraceEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *arrow = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *time = gtk_widget_get_next_sibling (arrow);
  GtkWidget *first_line = gtk_widget_get_next_sibling (time);
  GtkWidget *remote = gtk_widget_get_next_sibling (first_line);
  g_autofree char *stamp = g_date_time_format (hail_sip_trace_entry_get_time (entry), "%H:%M:%S");
  gboolean outgoing = hail_sip_trace_entry_get_outgoing (entry);

  gtk_label_set_text (GTK_LABEL (arrow), outgoing ? "→" : "←");
  gtk_accessible_update_property (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  outgoing ? _("Sent") : _("Received"), -1);
  gtk_label_set_text (GTK_LABEL (time), stamp);
  gtk_label_set_text (GTK_LABEL (first_line), hail_sip_trace_entry_get_first_line (entry));
  gtk_label_set_text (GTK_LABEL (remote), hail_sip_trace_entry_get_remote (entry));
}

static void
trace_selection_cb (HailPreferencesWindow *self)
{
  HailSipTraceEntry *entry = gtk_single_selection_get_selected_item (self->trace_selection);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->trace_text);
  g_autofree char *text = NULL;

  /* New messages arrive while one is read: keep its text and scroll. */
  if (!g_set_object (&self->trace_shown, entry))
    return;
  text = entry != NULL ? hail_sip_trace_entry_format (entry) : NULL;
  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
}

static void
trace_copy_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  HailPreferencesWindow *self = HAIL_PREFERENCES_WINDOW (widget);
  HailSipTraceEntry *entry;
  g_autofree char *text = NULL;

  if (self->trace == NULL)
    return;
  entry = gtk_single_selection_get_selected_item (self->trace_selection);
  if (entry != NULL)
    text = hail_sip_trace_entry_format (entry);
  else
    text = hail_sip_trace_dup_text (self->trace);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
trace_clear_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  HailPreferencesWindow *self = HAIL_PREFERENCES_WINDOW (widget);

  if (self->trace != NULL)
    hail_sip_trace_clear (self->trace);
}

static void
hail_preferences_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HailPreferencesWindow *self = HAIL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HailPreferencesWindow *self = HAIL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_preferences_window_constructed (GObject *object)
{
  HailPreferencesWindow *self = HAIL_PREFERENCES_WINDOW (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (hail_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "start-at-login", self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "echo-cancellation", self->echo_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "max-file-size",
                                gtk_spin_button_get_adjustment (self->file_size_spin), "value",
                                G_SETTINGS_BIND_DEFAULT,
                                bytes_to_megabytes, megabytes_to_bytes, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "ring-tone", self->ring_tone_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                ring_tone_get_mapping, ring_tone_set_mapping, NULL, NULL);
  g_signal_connect_object (self->settings, "changed::codecs",
                           G_CALLBACK (codecs_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::download-folder",
                           G_CALLBACK (show_download_folder), self, G_CONNECT_SWAPPED);
  show_download_folder (self);
  rebuild_codecs (self);

  /* The monitor runs while the window is open, so plugging a headset in
   * shows it at once. Without a sound server only "Default" is left. */
  self->devices = hail_media_devices_new ();
  if (!hail_media_devices_start (self->devices, &error))
    {
      /* Translators: %s says why the audio devices could not be listed */
      g_autofree char *text = g_strdup_printf (_("The devices cannot be listed: %s"),
                                               error->message);

      adw_preferences_group_set_description (self->devices_group, text);
    }
  hail_device_row_bind (self->input_row, hail_media_devices_get_inputs (self->devices),
                        self->settings, "input-device");
  hail_device_row_bind (self->output_row, hail_media_devices_get_outputs (self->devices),
                        self->settings, "output-device");
}

static void
hail_preferences_window_dispose (GObject *object)
{
  HailPreferencesWindow *self = HAIL_PREFERENCES_WINDOW (object);

  /* The binding dies with the switch, so it goes before the template,
   * as do the selection's handlers, which fill its text view. */
  g_clear_pointer (&self->trace_binding, g_binding_unbind);
  if (self->folder_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->folder_chooser));
  g_clear_object (&self->folder_chooser);
  if (self->trace_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->trace_selection, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HAIL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->trace_selection);
  g_clear_object (&self->trace_shown);
  g_clear_object (&self->trace);
  if (self->devices != NULL)
    hail_media_devices_stop (self->devices);
  g_clear_object (&self->devices);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hail_preferences_window_parent_class)->dispose (object);
}

static void
hail_preferences_window_class_init (HailPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = hail_preferences_window_get_property;
  object_class->set_property = hail_preferences_window_set_property;
  object_class->constructed = hail_preferences_window_constructed;
  object_class->dispose = hail_preferences_window_dispose;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", "Settings", "The settings edited",
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HAIL_TYPE_DEVICE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/hail-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, echo_switch);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, file_size_spin);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, download_folder_row);
  gtk_widget_class_bind_template_callback (widget_class, choose_download_folder_cb);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, ring_tone_row);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, codecs_list);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, devices_group);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, input_row);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, output_row);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, trace_page);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, trace_switch);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, trace_list);
  gtk_widget_class_bind_template_child (widget_class, HailPreferencesWindow, trace_text);

  gtk_widget_class_install_action (widget_class, "prefs.move-codec", "(si)", move_codec_action);
  gtk_widget_class_install_action (widget_class, "trace.copy", NULL, trace_copy_action);
  gtk_widget_class_install_action (widget_class, "trace.clear", NULL, trace_clear_action);
}

static void
hail_preferences_window_init (HailPreferencesWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (factory, "setup", G_CALLBACK (trace_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (trace_bind_cb), NULL);
  gtk_list_view_set_factory (self->trace_list, factory);
  g_object_unref (factory);
  /* No row is selected at first, so Copy takes the whole trace. */
  self->trace_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->trace_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->trace_selection, TRUE);
  g_signal_connect_swapped (self->trace_selection, "selection-changed",
                            G_CALLBACK (trace_selection_cb), self);
  g_signal_connect_swapped (self->trace_selection, "items-changed",
                            G_CALLBACK (trace_selection_cb), self);
  gtk_list_view_set_model (self->trace_list, GTK_SELECTION_MODEL (self->trace_selection));
}

HailPreferencesWindow *
hail_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (HAIL_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

/* Shows @trace on the SIP Trace page, which stays hidden until then; the
 * page's switch turns the trace on and off. */
void
hail_preferences_window_set_sip_trace (HailPreferencesWindow *self,
                                       HailSipTrace          *trace)
{
  g_return_if_fail (HAIL_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (HAIL_IS_SIP_TRACE (trace));

  g_clear_pointer (&self->trace_binding, g_binding_unbind);
  if (self->folder_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->folder_chooser));
  g_clear_object (&self->folder_chooser);
  g_set_object (&self->trace, trace);
  gtk_single_selection_set_model (self->trace_selection, G_LIST_MODEL (trace));
  self->trace_binding = g_object_bind_property (trace, "enabled", self->trace_switch, "active",
                                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_widget_set_visible (GTK_WIDGET (self->trace_page), TRUE);
}
