package testrepo

import (
	"fmt"
	"strings"
)

// Activities is the bundled activity vocabulary, the types of the
// project's own rules/activities.yaml.
const Activities = `# Aktivitetstyper (genererat testförråd, samma typer som exemplet i lofte)
activities:
  trafikkontroll:
    title: Trafikkontroll
    fields:
      riktad_mot: {enum: [bilburen_ungdom, allman], required: true}
      bilinspektor: bool
      form: {enum: [civil, uniformerad], required: true}
      plats: string
      antal_kontrollerade: int

  hundsok:
    title: Hundsök
    fields:
      plats: {enum: [grundskola, gymnasium, annan], required: true}
      skola: string

  ledningsgrupp:
    title: Möte i kommundirektörens ledningsgrupp
    fields:
      tema: string

  utvardering:
    title: Utvärdering av samverkan
    fields:
      anteckning: string

  samverkansmote:
    title: Samverkansmöte
    fields:
      med: {list: string}

  kompetensutbildning:
    title: Kompetensutbildning om risk- och skyddsfaktorer
    fields:
      deltagare: int
      amne: string

  trafikbeslut:
    title: Trafikreglerande beslut
    fields:
      atgard: {enum: [upphojning, avsmalning, sidoforskjutning, annan]}
      plats: string

  orsaksanalys:
    title: Orsaksanalys
    fields:
      brottstyp: {enum: [anlagd_brand, stold, rasistiskt_klotter, skadegorelse]}
      anteckning: string
`

// PromiseID is the id of the generated promise, and PromiseFile its path.
const (
	PromiseID   = "mullsjo"
	PromiseFile = "rules/mullsjo.yaml"
)

// Commitments is the number of commitments of the generated promise, of
// which Manual are `assess: manual`.
const (
	Commitments = 30
	Manual      = 2
)

// AssessmentsPerYear is the number of assessment records written for each
// year, on top of Options.Records.
const AssessmentsPerYear = 3

// calendarYAML lists VT and HT for every year from first to last. The
// dates move a little from year to year, as läsårstider do.
func calendarYAML(first, last int) string {
	var b strings.Builder
	b.WriteString("# Skolterminer (påhittade läsårstider i Mullsjös mönster)\nterms:\n")
	for y := first; y <= last; y++ {
		k := y % 3
		fmt.Fprintf(&b, "  %d-VT: %d-01-%02d..%d-06-%02d\n", y, y, 9+k, y, 14+k)
		fmt.Fprintf(&b, "  %d-HT: %d-08-%02d..%d-12-%02d\n", y, y, 19+k, y, 19+k)
	}
	return b.String()
}

// promiseYAML is the promise of municipality k, in force from first to
// last; data is its data: line, or "" for the whole of data/.
func promiseYAML(k Kommun, data string, first, last int) string {
	valid, years := fmt.Sprint(first), fmt.Sprint(first)
	if last > first {
		valid, years = fmt.Sprintf("%d..%d", first, last), fmt.Sprintf("%d–%d", first, last)
	}
	return strings.NewReplacer("{{valid}}", valid, "{{years}}", years, "{{id}}", k.ID, "{{name}}", k.Name,
		"{{data}}", data).Replace(promiseTemplate)
}

// promiseTemplate holds 30 commitments in the style of rules/mullsjo.yaml,
// with every window kind, filters on fields, sums, && and ||, per FIELD,
// an upper bound, a general expression, paces and two manual ones.
const promiseTemplate = `# Medborgarlöfte {{name}} – genererat testförråd. Alla uppgifter är påhittade.
promise: {{id}}
title: Medborgarlöfte {{name}} {{years}}
parties:
  polisen: Polismyndigheten, lokalpolisområde Jönköping
  kommunen: {{name}} kommun
valid: {{valid}}
{{data}}areas:
  trafik: Trafik
  droger: Droger
  samverkan: Samverkan
  skadegorelse: Skadegörelse

commitments:
  # ---------------------------------------------------------------- Trafik
  - id: trafik.kontroller
    area: trafik
    owner: polisen
    text: Polisen har som målvärde att utföra minst 104 trafikkontroller under året.
    rule: count(trafikkontroll) >= 104

  - id: trafik.varje-vecka
    area: trafik
    owner: polisen
    text: Polisen genomför minst en trafikkontroll varje vecka.
    rule: count(trafikkontroll) per vecka >= 1
    warn_within: 2

  - id: trafik.riktade
    area: trafik
    owner: polisen
    text: >-
      Polisen arbetar med riktade trafikkontroller mot bilburen ungdom, både
      civilt och uniformerat, med personal som har bilinspektörskompetens,
      minst nio gånger om året.
    rule: |
      count(trafikkontroll, .riktad_mot == "bilburen_ungdom" && .bilinspektor) >= 9 &&
      count(trafikkontroll, .riktad_mot == "bilburen_ungdom" && .bilinspektor) per form >= 1

  - id: trafik.tak-per-dag
    area: trafik
    owner: polisen
    text: Högst 50 trafikkontroller registreras samma dag (en kontroll av inmatningen).
    rule: count(trafikkontroll) per dag <= 50

  - id: trafik.uniformerade
    area: trafik
    owner: polisen
    text: Minst fyra uniformerade trafikkontroller varje månad.
    rule: count(trafikkontroll, .form == "uniformerad") per månad >= 4
    tolerance: 0.25

  - id: trafik.civila
    area: trafik
    owner: polisen
    text: Minst tre civila trafikkontroller per kvartal.
    rule: count(trafikkontroll, .form == "civil" && "polisen" in .by) per kvartal >= 3

  - id: trafik.form-per-kvartal
    area: trafik
    owner: polisen
    text: Varje kvartal görs minst fem kontroller i varje form, civil och uniformerad.
    rule: count(trafikkontroll) per kvartal per form >= 5

  - id: trafik.kontrollerade
    area: trafik
    owner: polisen
    text: Minst 2 000 förare kontrolleras under året.
    rule: sum(map(trafikkontroll, .antal_kontrollerade ?? 0)) >= 2000
    pace: [1, 1, 1, 1, 1.2, 1.2, 0.5, 1, 1, 1, 1, 0.8]

  - id: trafik.december
    area: trafik
    owner: polisen
    text: Minst en riktad kontroll mot bilburen ungdom under december.
    rule: count(trafikkontroll, .date.Month() == 12 && .riktad_mot == "bilburen_ungdom") >= 1
    pace: none

  - id: trafik.trafikbeslut
    area: trafik
    owner: kommunen
    text: {{name}} kommun fattar trafikreglerande beslut som sänker hastigheten.
    rule: trafikbeslut >= 1

  - id: trafik.atgarder
    area: trafik
    owner: kommunen
    text: Varje halvår beslutas minst en upphöjning eller en avsmalning.
    rule: >-
      count(trafikbeslut, .atgard == "upphojning") per halvår >= 1 ||
      count(trafikbeslut, .atgard == "avsmalning") per halvår >= 1

  # ---------------------------------------------------------------- Droger
  - id: droger.samverkan
    area: droger
    owner: polisen
    text: >-
      Områdespolisen fortsätter sin täta samverkan med skola och kommun för
      att förebygga drogmissbruk och ungdomsrelaterad brottslighet.
    assess: manual

  - id: droger.utvardering
    area: droger
    owner: [polisen, kommunen]
    text: Utvärdering av samverkan sker varje tertial av båda parter.
    rule: count(utvardering, "polisen" in .by && "kommunen" in .by) per tertial >= 1

  - id: droger.hundsok
    area: droger
    owner: polisen
    text: Polisen utför ett hundsök per termin i grundskolan.
    rule: count(hundsok, .plats == "grundskola") per termin >= 1

  - id: droger.hundsok-gymnasium
    area: droger
    owner: polisen
    text: Varje termin görs ett hundsök på gymnasiet, eller minst tre hundsök i andra miljöer.
    rule: count(hundsok, .plats == "gymnasium") per termin >= 1 || count(hundsok) per termin >= 3

  - id: droger.hundsok-platser
    area: droger
    owner: polisen
    text: Under året görs hundsök i alla slags miljöer.
    rule: count(hundsok) per plats >= 1
    pace: none

  - id: droger.hundsok-skola
    area: droger
    owner: polisen
    text: Varje hundsök i grundskolan anger vilken skola det gällde.
    rule: all(hundsok, .plats != "grundskola" || .skola != nil)

  - id: droger.ledningsgrupp
    area: droger
    owner: kommunen
    text: Kommunen bjuder in Polismyndigheten till kommundirektörens ledningsgrupp fyra gånger per år.
    rule: ledningsgrupp >= 4

  - id: droger.ledningsgrupp-kvartal
    area: droger
    owner: kommunen
    text: Ledningsgruppen möter polisen minst en gång per kvartal.
    rule: count(ledningsgrupp) per kvartal >= 1

  - id: droger.kompetensutbildning
    area: droger
    owner: kommunen
    text: Kommunen håller kompetensutbildning om risk- och skyddsfaktorer, minst en per halvår och två per år.
    rule: count(kompetensutbildning, "kommunen" in .by) per halvår >= 1 && count(kompetensutbildning) >= 2

  - id: droger.deltagare
    area: droger
    owner: kommunen
    text: Minst 100 av kommunens anställda går kompetensutbildningen under året.
    rule: sum(map(kompetensutbildning, .deltagare ?? 0)) >= 100
    tolerance: 0.1

  # ------------------------------------------------------------- Samverkan
  - id: samverkan.moten
    area: samverkan
    owner: [polisen, kommunen]
    text: Samverkansmöte hålls varje månad.
    rule: count(samverkansmote) per månad >= 1
    warn_within: 7

  - id: samverkan.skola
    area: samverkan
    owner: [polisen, kommunen]
    text: Skolan deltar i minst två samverkansmöten per termin.
    rule: count(samverkansmote, "skola" in .med) per termin >= 2

  - id: samverkan.gemensamma
    area: samverkan
    owner: [polisen, kommunen]
    text: Polisen och kommunen håller minst tolv gemensamma samverkansmöten om året.
    rule: count(samverkansmote, "polisen" in .by && "kommunen" in .by) >= 12

  - id: samverkan.socialtjanst
    area: samverkan
    owner: kommunen
    text: Socialtjänsten deltar i minst tio möten om året och fritidsgårdarna varje tertial.
    rule: >-
      count(samverkansmote, "socialtjanst" in .med) >= 10 &&
      count(samverkansmote, "fritidsgard" in .med) per tertial >= 1

  - id: samverkan.tak-per-vecka
    area: samverkan
    owner: [polisen, kommunen]
    text: Färre än 60 samverkansmöten registreras samma vecka (en kontroll av inmatningen).
    rule: count(samverkansmote) per vecka < 60

  # ---------------------------------------------------------- Skadegörelse
  - id: skadegorelse.orsaksanalys
    area: skadegorelse
    owner: [polisen, kommunen]
    text: Polisen och kommunen gör minst en gemensam orsaksanalys per halvår.
    rule: count(orsaksanalys) per halvår >= 1

  - id: skadegorelse.brand
    area: skadegorelse
    owner: [polisen, kommunen]
    text: Varje kvartal analyseras anlagda bränder, eller minst tre brott av annat slag.
    rule: >-
      count(orsaksanalys, .brottstyp == "anlagd_brand") per kvartal >= 1 ||
      count(orsaksanalys) per kvartal >= 3

  - id: skadegorelse.brottstyper
    area: skadegorelse
    owner: [polisen, kommunen]
    text: Under året analyseras varje slags brott som löftet nämner.
    rule: count(orsaksanalys) per brottstyp >= 1
    pace: none

  - id: skadegorelse.polisanmalan
    area: skadegorelse
    owner: kommunen
    text: Kommunen följer rutinerna för polisanmälan och bjuder in till gemensamma orsaksanalyser.
    assess: manual
`
