/* hail-sip-trace-entry.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HAIL_TYPE_SIP_TRACE_ENTRY (hail_sip_trace_entry_get_type ())

G_DECLARE_FINAL_TYPE (HailSipTraceEntry, hail_sip_trace_entry, HAIL, SIP_TRACE_ENTRY, GObject)

/* One SIP message as the trace keeps it: @text is already redacted, so an
 * entry never holds a credential. */
HailSipTraceEntry *hail_sip_trace_entry_new (GDateTime  *time,
                                             const char *account,
                                             gboolean    outgoing,
                                             const char *transport,
                                             const char *remote,
                                             const char *text) G_GNUC_WARN_UNUSED_RESULT;

GDateTime  *hail_sip_trace_entry_get_time       (HailSipTraceEntry *self);
const char *hail_sip_trace_entry_get_account    (HailSipTraceEntry *self);
gboolean    hail_sip_trace_entry_get_outgoing   (HailSipTraceEntry *self);
const char *hail_sip_trace_entry_get_transport  (HailSipTraceEntry *self);
const char *hail_sip_trace_entry_get_remote     (HailSipTraceEntry *self);
const char *hail_sip_trace_entry_get_first_line (HailSipTraceEntry *self);
const char *hail_sip_trace_entry_get_text       (HailSipTraceEntry *self);
char       *hail_sip_trace_entry_format         (HailSipTraceEntry *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
