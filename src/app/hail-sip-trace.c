/* hail-sip-trace.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Preferences' SIP trace. Entries are redacted as they arrive, so the
 * model never holds a password or digest response; they are kept only
 * while tracing is on, so an idle trace costs one signal emission.
 */
#include "config.h"

#include "hail-sip-trace.h"

#include "hail-sip-log.h"
#include "hail-sip-uri.h"

enum {
  PROP_0,
  PROP_ENABLED,
  N_PROPS
};

struct _HailSipTrace {
  GObject parent_instance;

  GPtrArray *entries;            /* HailSipTraceEntry, owned, oldest first */
  guint max_entries;
  gboolean enabled;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HailSipTrace, hail_sip_trace, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static GType
hail_sip_trace_get_item_type (GListModel *model)
{
  return HAIL_TYPE_SIP_TRACE_ENTRY;
}

static guint
hail_sip_trace_get_n_items (GListModel *model)
{
  return HAIL_SIP_TRACE (model)->entries->len;
}

static gpointer
hail_sip_trace_get_item (GListModel *model,
                         guint       position)
{
  HailSipTrace *self = HAIL_SIP_TRACE (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = hail_sip_trace_get_item_type;
  iface->get_n_items = hail_sip_trace_get_n_items;
  iface->get_item = hail_sip_trace_get_item;
}

static void
sip_message_cb (HailAccount *account,
                gboolean     outgoing,
                const char  *transport,
                const char  *peer,
                GBytes      *bytes,
                gpointer     user_data)
{
  HailSipTrace *self = HAIL_SIP_TRACE (user_data);
  gsize len;
  const char *data;

  if (!self->enabled)
    return;
  data = g_bytes_get_data (bytes, &len);
  hail_sip_trace_add (self, hail_sip_uri_to_string (hail_account_get_aor (account)),
                      outgoing, transport, peer, data, len);
}

static void
hail_sip_trace_dispose (GObject *object)
{
  HailSipTrace *self = HAIL_SIP_TRACE (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (hail_sip_trace_parent_class)->dispose (object);
}

static void
hail_sip_trace_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HailSipTrace *self = HAIL_SIP_TRACE (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_trace_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HailSipTrace *self = HAIL_SIP_TRACE (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      hail_sip_trace_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_trace_class_init (HailSipTraceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_sip_trace_dispose;
  object_class->get_property = hail_sip_trace_get_property;
  object_class->set_property = hail_sip_trace_set_property;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", "Enabled", "Whether messages are recorded", FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hail_sip_trace_init (HailSipTrace *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->max_entries = HAIL_SIP_TRACE_MAX_ENTRIES;
}

HailSipTrace *
hail_sip_trace_new (guint max_entries)
{
  HailSipTrace *self;

  g_return_val_if_fail (max_entries > 0, NULL);

  self = g_object_new (HAIL_TYPE_SIP_TRACE, NULL);
  self->max_entries = max_entries;
  return self;
}

gboolean
hail_sip_trace_get_enabled (HailSipTrace *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRACE (self), FALSE);
  return self->enabled;
}

void
hail_sip_trace_set_enabled (HailSipTrace *self,
                            gboolean      enabled)
{
  g_return_if_fail (HAIL_IS_SIP_TRACE (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

/* The handler goes with the trace or the account, whichever is first. */
void
hail_sip_trace_watch (HailSipTrace *self,
                      HailAccount  *account)
{
  g_return_if_fail (HAIL_IS_SIP_TRACE (self));
  g_return_if_fail (HAIL_IS_ACCOUNT (account));

  hail_sip_trace_unwatch (self, account);
  g_signal_connect_object (account, "sip-message", G_CALLBACK (sip_message_cb), self, 0);
}

void
hail_sip_trace_unwatch (HailSipTrace *self,
                        HailAccount  *account)
{
  g_return_if_fail (HAIL_IS_SIP_TRACE (self));
  g_return_if_fail (HAIL_IS_ACCOUNT (account));

  g_signal_handlers_disconnect_by_func (account, sip_message_cb, self);
}

/**
 * hail_sip_trace_add:
 * @data: (array length=len): the message as sent or received
 *
 * Appends @data, redacted, when tracing is on, dropping the oldest entry
 * once the trace holds its bound.
 */
void
hail_sip_trace_add (HailSipTrace *self,
                    const char   *address,
                    gboolean      outgoing,
                    const char   *transport,
                    const char   *remote,
                    const char   *data,
                    gsize         len)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;
  gboolean dropped = FALSE;

  g_return_if_fail (HAIL_IS_SIP_TRACE (self));
  g_return_if_fail (data != NULL || len == 0);

  if (!self->enabled)
    return;

  now = g_date_time_new_now_local ();
  text = hail_sip_log_redact (data != NULL ? data : "", len);
  /* A memmove of at most max_entries pointers: cheaper than a list's
   * per-item walk when the view asks for rows. */
  if (self->entries->len >= self->max_entries)
    {
      g_ptr_array_remove_index (self->entries, 0);
      dropped = TRUE;
    }
  g_ptr_array_add (self->entries,
                   hail_sip_trace_entry_new (now, address, outgoing, transport, remote, text));
  if (dropped)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 1, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
}

void
hail_sip_trace_clear (HailSipTrace *self)
{
  guint n;

  g_return_if_fail (HAIL_IS_SIP_TRACE (self));

  n = self->entries->len;
  if (n == 0)
    return;
  g_ptr_array_set_size (self->entries, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

char *
hail_sip_trace_dup_text (HailSipTrace *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (HAIL_IS_SIP_TRACE (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      g_autofree char *one = hail_sip_trace_entry_format (g_ptr_array_index (self->entries, i));

      g_string_append (text, one);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
