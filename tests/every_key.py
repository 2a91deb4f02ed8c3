"""Business documents that use every key the document model knows, most in more than one shape: a change that
writes back only what it shows (an admin form, an API part put back) loses something from one of them."""

NUMBER = "+31501234567"

# Every key of the document model, most of them in more than one shape (ivr/document/model.py); a period rings a
# number and takes a message when nobody answers it.
EVERY_KEY = f"""\
business: Huisartsenpraktijk De Linde
numbers: ["{NUMBER}", "+31501234568"]
language: nl
country: NL
region: noord  # written in lower case: the page keeps it as written
timezone: Europe/Amsterdam
greeting: {{text: "{{salutation}}, u spreekt met Huisartsenpraktijk De Linde."}}
info: {{text: "Wij zijn op werkdagen bereikbaar van acht tot vijf."}}
menu:
  - {{key: "1", prompt: "Voor spoed, toets 1.", dial: ["+31612345678"], emergency: true, label: spoed}}
  - key: "2"
    prompt: "Voor herhaalrecepten, toets 2."
    voicemail: {{email: [recept@example.nl], sms: ["+31611111111"]}}
    label: recept
  - {{key: "3", prompt: "Voor de assistente, toets 3.", dial: ["+31503333333", "+31504444444"]}}
  - {{key: "4", prompt: "Wilt u teruggebeld worden, toets 4.", callback: true}}
operators: ["+31501111111", "+31502222222"]
ring: sequential
confirm: true
rings: 3
overflow: {{dial: "+31208888888", notes: {{email: [praktijk@example.nl, dokter@example.nl], sms: ["+31687654321"]}}}}
instructions:
  text: |-
    Nieuwe patiënten: alleen op dinsdag inschrijven.
    Herhaalrecepten: verwijs naar toets 2.
  urgent: "Dokter Bakker, 06 1234 5678."
hours: {{mon-fri: ["08:00-12:00", "13:00-17:00"], sat: "09:00-11:00", sun: closed}}
holidays: [Christmas Day, Second Day of Christmas, "12-31", "2027-01-02"]
closed:
  greeting: {{text: "U belt buiten onze openingstijden."}}
  holiday: {{text: "Vandaag is het een feestdag; wij zijn gesloten."}}
  voicemail: {{email: [praktijk@example.nl], sms: ["+31687654321"], urgent_sms: ["+31622222222"]}}
  offer_callback: true
  emergency: {{prompt: "Voor spoed, toets 5.", dial: ["+31612345678"], key: "5"}}
periods:
  - from: 2026-11-23
    to: 2026-11-27
    greeting: {{text: "Deze week belt u de waarneming."}}
    dial: ["+31209999999"]
    voicemail: {{email: [waarneming@example.nl]}}
    emergency: {{prompt: "Voor spoed, toets 1.", dial: ["+31612345678"]}}
    instructions: {{text: "Praktijk deze week dicht. Verwijs naar de huisartsenpost."}}
  - from: 2026-12-24
    to: 2027-01-01
    greeting: {{text: "Tijdens de feestdagen spreekt u een bericht in."}}
    voicemail: {{email: [praktijk@example.nl], sms: ["+31687654321"]}}
    instructions: {{text: "Feestdagen: alleen spoed doorzetten."}}
missed_calls: {{email: [praktijk@example.nl, balie@example.nl]}}
daily_summary: {{email: [dokter@example.nl], at: "18:15"}}
monthly_report: {{email: [dokter@example.nl, praktijk@example.nl]}}
referral: {{number: "+31881234567", name: de huisartsenpost Groningen}}
urgent_words: [spoed, bloeding, benauwd]
callback: {{email: [balie@example.nl], sms: ["+31687654321"]}}
text_back: {{text: "U belde {{business}}. Wij bellen u zo snel mogelijk terug.", after_s: 300}}
blocked: ["+31612340000", "+31687650000"]
calendar:
  ics: "https://calendar.google.com/calendar/ical/praktijk%40example.nl/private-0123abcd/basic.ics"
  when_away: service
retention: {{voicemail_days: 30, transcript_days: 30, notes_days: 180, call_log_days: 365}}
texts: {{goodbye: "Dank u wel, tot ziens.", unavailable: "Er is nu niemand bereikbaar; belt u morgen opnieuw."}}
"""

# The other shapes: a voicemail overflow with texts, a closed-hours number with a box for when nobody answers it,
# every day open, every public holiday, a period's emergency key written as the default it is.
OTHER_SHAPES = f"""\
business: Fysiotherapie Noord
numbers: ["{NUMBER}"]
language: nl
operators: ["+31501111111"]
ring: simultaneous
overflow: {{voicemail: {{email: [noord@example.nl], sms: ["+31687654321", "+31611111111"]}}}}
holidays: true
closed: {{dial: ["+31209999999"], voicemail: {{email: [noord@example.nl]}}}}
periods:
  - from: 2027-07-01
    to: 2027-07-14
    greeting: {{text: "Wij zijn op vakantie."}}
    voicemail: {{email: [noord@example.nl]}}
    emergency: {{prompt: "Voor spoed, toets 1.", dial: ["+31612345678", "+31687654321"], key: "1"}}
menu:
  - {{key: "#", prompt: "Voor de balie, toets hekje.", voicemail: {{email: [balie@example.nl]}}}}
urgent_words: []
retention: {{voicemail_days: 14}}
"""
