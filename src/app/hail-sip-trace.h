/* hail-sip-trace.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hail-account.h"
#include "hail-sip-trace-entry.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define HAIL_TYPE_SIP_TRACE (hail_sip_trace_get_type ())

G_DECLARE_FINAL_TYPE (HailSipTrace, hail_sip_trace, HAIL, SIP_TRACE, GObject)

/* The default bound of a trace: older messages are dropped. */
#define HAIL_SIP_TRACE_MAX_ENTRIES 500

/* A GListModel of HailSipTraceEntry, oldest first, holding at most
 * @max_entries messages of the accounts it watches, redacted by
 * hail_sip_log_redact(). Nothing is recorded while "enabled" is FALSE,
 * which it is at first. */
HailSipTrace *hail_sip_trace_new         (guint         max_entries) G_GNUC_WARN_UNUSED_RESULT;
gboolean      hail_sip_trace_get_enabled (HailSipTrace *self);
void          hail_sip_trace_set_enabled (HailSipTrace *self,
                                          gboolean      enabled);
/* Records the "sip-message"s of @account under its address of record. */
void          hail_sip_trace_watch       (HailSipTrace *self,
                                          HailAccount  *account);
void          hail_sip_trace_unwatch     (HailSipTrace *self,
                                          HailAccount  *account);
void          hail_sip_trace_add         (HailSipTrace *self,
                                          const char   *address,
                                          gboolean      outgoing,
                                          const char   *transport,
                                          const char   *remote,
                                          const char   *data,
                                          gsize         len);
void          hail_sip_trace_clear       (HailSipTrace *self);
/* Every entry formatted by hail_sip_trace_entry_format(), oldest first. */
char         *hail_sip_trace_dup_text    (HailSipTrace *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
