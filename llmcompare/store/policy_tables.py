"""The terms the provider_policies table answers for each API provider (its tables come with revision 0007)."""

from __future__ import annotations

# The attributes of provider_policies: the questions a buyer asks of an API, in the order the matrix shows them.
ATTRIBUTES = {
    "trains_on_api_data": "Trains on API data by default",
    "retention": "Keeps prompts and outputs by default",
    "zero_data_retention": "Zero-data-retention option",
    "data_residency": "Processing region / data residency",
    "uptime_sla": "Uptime SLA",
    "soc2_type2": "SOC 2 Type II",
    "iso27001": "ISO 27001",
    "hipaa_baa": "HIPAA BAA",
    "ip_indemnity": "IP indemnity for outputs",
    "openai_compatible": "OpenAI-compatible API",
    "fine_tuning": "API fine-tuning",
    "support": "Paid support offering",
}
