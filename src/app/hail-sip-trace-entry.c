/* hail-sip-trace-entry.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-trace-entry.h"

#include <string.h>

struct _HailSipTraceEntry {
  GObject parent_instance;

  GDateTime *time;
  char *account;
  char *transport;
  char *remote;
  char *first_line;
  char *text;
  gboolean outgoing;
};

G_DEFINE_FINAL_TYPE (HailSipTraceEntry, hail_sip_trace_entry, G_TYPE_OBJECT)

static void
hail_sip_trace_entry_finalize (GObject *object)
{
  HailSipTraceEntry *self = HAIL_SIP_TRACE_ENTRY (object);

  g_date_time_unref (self->time);
  g_free (self->account);
  g_free (self->transport);
  g_free (self->remote);
  g_free (self->first_line);
  g_free (self->text);

  G_OBJECT_CLASS (hail_sip_trace_entry_parent_class)->finalize (object);
}

static void
hail_sip_trace_entry_class_init (HailSipTraceEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hail_sip_trace_entry_finalize;
}

static void
hail_sip_trace_entry_init (HailSipTraceEntry *self)
{
}

HailSipTraceEntry *
hail_sip_trace_entry_new (GDateTime  *time,
                          const char *account,
                          gboolean    outgoing,
                          const char *transport,
                          const char *remote,
                          const char *text)
{
  HailSipTraceEntry *self;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_TRACE_ENTRY, NULL);
  self->time = g_date_time_ref (time);
  self->account = g_strdup (account != NULL ? account : "");
  self->outgoing = outgoing;
  self->transport = g_strdup (transport != NULL ? transport : "");
  self->remote = g_strdup (remote != NULL ? remote : "");
  self->text = g_strdup (text);
  /* The redactor keeps CRLF line ends; a lone CR is escaped. */
  self->first_line = g_strndup (text, strcspn (text, "\r\n"));
  return self;
}

GDateTime *
hail_sip_trace_entry_get_time (HailSipTraceEntry *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRACE_ENTRY (self), NULL);
  return self->time;
}

const char *
hail_sip_trace_entry_get_account (HailSipTraceEntry *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRACE_ENTRY (self), NULL);
  return self->account;
}

gboolean
hail_sip_trace_entry_get_outgoing (HailSipTraceEntry *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRACE_ENTRY (self), FALSE);
  return self->outgoing;
}

const char *
hail_sip_trace_entry_get_transport (HailSipTraceEntry *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRACE_ENTRY (self), NULL);
  return self->transport;
}

const char *
hail_sip_trace_entry_get_remote (HailSipTraceEntry *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRACE_ENTRY (self), NULL);
  return self->remote;
}

const char *
hail_sip_trace_entry_get_first_line (HailSipTraceEntry *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRACE_ENTRY (self), NULL);
  return self->first_line;
}

const char *
hail_sip_trace_entry_get_text (HailSipTraceEntry *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRACE_ENTRY (self), NULL);
  return self->text;
}

/**
 * hail_sip_trace_entry_format:
 *
 * Returns: the entry as copied to the clipboard: a header line with the
 * time, account, direction, transport and remote, then the redacted text.
 */
char *
hail_sip_trace_entry_format (HailSipTraceEntry *self)
{
  g_autofree char *stamp = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_TRACE_ENTRY (self), NULL);

  stamp = g_date_time_format (self->time, "%Y-%m-%d %H:%M:%S.%f");
  return g_strdup_printf ("%s %s %s %s %s %s\n%s\n", stamp, self->account,
                          self->outgoing ? "-->" : "<--", self->transport,
                          self->outgoing ? "to" : "from", self->remote, self->text);
}
