package draft

import (
	"regexp"
	"strings"
)

// The rules of Swedish that drafting reads, as tables a person can read and
// extend (docs/reference.md §9, lofte draft). Each table is tried in order;
// a test in swedish_test.go gives every phrasing an example.

// phrase builds a regular expression matching pattern as whole words
// (Go's \b knows only ASCII, and å, ä and ö are letters here). The match
// is group 1.
func phrase(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(` + pattern + `)(?:$|[^\p{L}\p{N}])`)
}

// numberWords are the numbers written as words. "en" and "ett" count only
// right before what they count ("ett hund-sök per termin").
var numberWords = map[string]int{
	"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
	"åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14,
	"femton": 15, "sexton": 16, "sjutton": 17, "arton": 18, "aderton": 18, "nitton": 19,
	"tjugo": 20, "tjugofem": 25, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60,
	"hundra": 100, "etthundra": 100,
}

// frequency is a phrase naming how often: the window a count is per, or
// none for the whole year.
type frequency struct {
	re     *regexp.Regexp
	window string // "" for the year; else a window kind of docs/reference.md §5
	// implied is the count the phrase gives by itself ("varje tertial": one
	// per tertial; "varannan vecka": 26 a year); 0 when it needs a number.
	implied int
	approx  bool // the implied count is an approximation
}

// frequencies, longer phrases before the shorter ones they contain.
var frequencies = []frequency{
	{re: phrase(`varannan vecka`), implied: 26, approx: true},
	{re: phrase(`varannan månad`), implied: 6, approx: true},
	{re: phrase(`(?:per|varje|varannan|i|under varje|en gång per|en gång varje) (?:skol)?termin(?:en)?|terminsvis`), window: "termin", implied: 1},
	{re: phrase(`(?:per|varje|i|en gång per|under varje) tertial(?:et)?|tertialvis`), window: "tertial", implied: 1},
	{re: phrase(`(?:per|varje|i|en gång per) kvartal(?:et)?|kvartalsvis`), window: "kvartal", implied: 1},
	{re: phrase(`(?:per|varje|i|en gång per) halvår(?:et)?|halvårsvis`), window: "halvår", implied: 1},
	{re: phrase(`(?:per|varje|i|en gång per|en gång i) månad(?:en)?|månadsvis|månatligen`), window: "månad", implied: 1},
	{re: phrase(`(?:per|varje|i|en gång per|en gång i) veck(?:a|an)|veckovis`), window: "vecka", implied: 1},
	{re: phrase(`(?:varje|per|en gång per|varannan) (?:helg|veckoslut|måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)\p{L}*`), window: "vecka", implied: 1},
	{re: phrase(`(?:varje|en gång per|per|både) vår och höst|(?:varje|per) vår- och hösttermin`), window: "halvår", implied: 1},
	{re: phrase(`(?:per|varje|i|en gång per|under varje) läsår(?:et)?|läsårsvis`), implied: 1},
	{re: phrase(`(?:per|varje|om) dag(?:en)?|dagligen`), window: "dag", implied: 1},
	{re: phrase(`(?:per|varje|om|i) år(?:et)?|årligen|per kalenderår|en gång om året`), implied: 1},
	{re: phrase(`under (?:året|ett år|(?:år )?20\d\d)`)},
}

// partOfYearRe is a part of the year a commitment is kept in: a count
// for it is read as a count for the year, a frequency is not (the
// commitment is assessed by hand).
var partOfYearRe = phrase(`under (?:sommar|vinter|jul|sport|höst|påsk)lovet|under (?:sommaren|hösten|våren|vintern)|(?:under )?(?:sommar|vinter)halvåret|under perioden[^.;]*|` +
	`(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)\s*(?:–|-|—|till)\s*(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)`)

// bound is a word before a number saying which way the target goes.
type bound struct {
	re     *regexp.Regexp
	op     string
	approx bool
}

var bounds = []bound{
	{re: phrase(`minst|åtminstone|inte färre än|som minst|lägst|ett minimum av|minimum`), op: ">="},
	{re: phrase(`högst|inte fler än|inte mer än|max|maximalt|som mest|som högst|upp till`), op: "<="},
	{re: phrase(`cirka|ca\.?|omkring|ungefär|runt`), op: ">=", approx: true},
}

// units follow a number and say it is a count.
var unitRe = regexp.MustCompile(`^(?:gånger|gång|ggr|gg|tillfällen|tillfälle|stycken|st|st\.)$`)

// notCount follows a number that is no count of activities: an age, a
// distance, a time, a share.
var notCountRe = regexp.MustCompile(`^(?:%|procent|år|års|åring|åringar|km|km/h|kr|kronor|timmar|timme|minuter|dagar|veckor|månader|meter|m)$`)

// manualWords say that no count can be read: the commitment is assessed
// by hand.
var manualWords = []*regexp.Regexp{
	phrase(`vid behov`), phrase(`fortsätta`), phrase(`kontinuerligt`), phrase(`löpande`),
	phrase(`arbeta (?:med|för|aktivt)`), phrase(`jobba(?:r)? (?:med|förebyggande|strategiskt)`),
	phrase(`verka för`), phrase(`kunna`),
}

// jointRe says that both parties do it together: the rule counts records
// by both (`"polisen" in .by && "kommunen" in .by`).
var jointRe = phrase(`(?:av )?båda parter(?:na)?|gemensam(?:ma|t)?|tillsammans`)

// bothForm is "både civilt och uniformerat": a per over an enum field.
type perEnum struct {
	re     *regexp.Regexp
	field  string
	values []string
}

var perEnums = []perEnum{
	{re: phrase(`både civil(?:t|a)? och uniformerad(?:e|t)?|både uniformerad(?:e|t)? och civil(?:t|a)?|både civilt och uniformerat|både uniformerat och civilt`),
		field: "form", values: []string{"civil", "uniformerad"}},
	{re: phrase(`både (?:dag|dagtid) och (?:kväll|kvällstid)|både dagtid och kvällstid`),
		field: "tid", values: []string{"dag", "kvall"}},
	{re: phrase(`både (?:i )?grundskola(?:n|or)? och (?:på )?gymnasie(?:t|skola(?:n)?|r)`),
		field: "plats", values: []string{"grundskola", "gymnasium"}},
}

// qualifier narrows what is counted: a field the activity type gets and
// the condition the rule puts on it.
type qualifier struct {
	re     *regexp.Regexp
	field  string
	kind   string   // "bool" or "enum"
	value  string   // for enum: the value required
	values []string // for enum: all the values of the field
}

var qualifiers = []qualifier{
	{re: phrase(`mot bilburen ungdom|mot bilburna ungdomar`), field: "riktad_mot", kind: "enum", value: "bilburen_ungdom", values: []string{"bilburen_ungdom", "allman"}},
	{re: phrase(`bilinspektör\p{L}*`), field: "bilinspektor", kind: "bool"},
	{re: phrase(`i grundskola(?:n|or|orna)?|på grundskola(?:n|or|orna)?`), field: "plats", kind: "enum", value: "grundskola", values: []string{"grundskola", "gymnasium", "annan"}},
	{re: phrase(`på gymnasie(?:t|skola(?:n)?|skolor(?:na)?)|i gymnasie(?:t|skola(?:n)?)`), field: "plats", kind: "enum", value: "gymnasium", values: []string{"grundskola", "gymnasium", "annan"}},
	{re: phrase(`i centrum|i centrala`), field: "plats", kind: "enum", value: "centrum", values: []string{"centrum", "annan"}},
}

// noun is a word naming an activity: its stem (matched at the start of a
// word), the activity type's id and title.
type noun struct {
	stem, id, title string
}

// nouns, the specific before the general. generic nouns are tried only
// when no specific one is in the text.
var nouns = []noun{
	{"trafikkontroll", "trafikkontroll", "Trafikkontroll"},
	{"hastighetskontroll", "hastighetskontroll", "Hastighetskontroll"},
	{"nykterhetskontroll", "nykterhetskontroll", "Nykterhetskontroll"},
	{"hund-sök", "hundsok", "Hundsök"},
	{"hundsök", "hundsok", "Hundsök"},
	{"narkotikahund", "hundsok", "Hundsök"},
	{"ledningsgrupp", "ledningsgrupp", "Möte i ledningsgruppen"},
	{"utvärdering", "utvardering", "Utvärdering"},
	{"uppföljningsmöte", "uppfoljning", "Uppföljningsmöte"},
	{"uppföljning", "uppfoljning", "Uppföljningsmöte"},
	{"följa upp", "uppfoljning", "Uppföljningsmöte"},
	{"följs upp", "uppfoljning", "Uppföljningsmöte"},
	{"följer upp", "uppfoljning", "Uppföljningsmöte"},
	{"samverkansmöte", "samverkansmote", "Samverkansmöte"},
	{"trygghetsvandring", "trygghetsvandring", "Trygghetsvandring"},
	{"nattvandring", "nattvandring", "Nattvandring"},
	{"medborgardialog", "medborgardialog", "Medborgardialog"},
	{"orsaksanalys", "orsaksanalys", "Orsaksanalys"},
	{"kompetensutbildning", "kompetensutbildning", "Kompetensutbildning"},
	{"utbildning", "utbildning", "Utbildning"},
	{"föreläsning", "forelasning", "Föreläsning"},
	{"föräldramöte", "foraldramote", "Föräldramöte"},
	{"skolbesök", "skolbesok", "Skolbesök"},
	{"temakväll", "temakvall", "Temakväll"},
	{"informationsträff", "informationstraff", "Informationsträff"},
	{"informationsmöte", "informationstraff", "Informationsträff"},
	{"dialogmöte", "dialogmote", "Dialogmöte"},
	{"lägesbild", "lagesbild", "Lägesbild"},
	{"trafikreglerande beslut", "trafikbeslut", "Trafikreglerande beslut"},
	{"trafikbeslut", "trafikbeslut", "Trafikreglerande beslut"},
	{"insatsgrupp", "insatsgrupp", "Social insatsgrupp"},
	{"polisanmäl", "polisanmalan", "Polisanmälan"},
	{"klottersanering", "klottersanering", "Klottersanering"},
	{"fotpatrull", "patrullering", "Patrullering"},
	{"patrullering", "patrullering", "Patrullering"},
	{"patrull", "patrullering", "Patrullering"},
	{"andt", "andt", "ANDT-arbete"},
}

// idNouns name what a manual commitment is about, for its id only: "i
// samverkan med" says how, not what is done.
var idNouns = []noun{
	{"samverkan", "samverkan", "Samverkan"},
	{"trygghet", "trygghet", "Trygghet"},
	{"klotter", "klotter", "Klotter"},
}

var generic = []noun{
	{"kontroll", "kontroll", "Kontroll"},
	{"besök", "besok", "Besök"},
	{"möte", "mote", "Möte"},
	{"träff", "mote", "Möte"},
	{"insats", "insats", "Insats"},
	{"tillsyn", "tillsyn", "Tillsyn"},
	{"aktivitet", "aktivitet", "Aktivitet"},
}

// modalRe marks a sentence that promises something.
var modalRe = phrase(`ska|skall|kommer att|kommer|åtar sig|lovar|avser att|planerar att`)

// metaRe marks a sentence about the promise itself, not a commitment in it.
var metaRe = phrase(`medborgarlöfte\p{L}*`)

// stopWords are left out when a commitment's id is made from its words.
var stopWords = map[string]bool{
	"skall": true, "kunna": true, "kommer": true, "fortsätta": true, "arbeta": true, "jobba": true,
	"jobbar": true, "arbetar": true, "utföra": true, "genomföra": true, "starta": true, "följer": true,
	"följa": true, "bjuder": true, "bjuda": true, "tillsammans": true, "förebyggande": true,
	"strategiskt": true, "operativt": true, "gällande": true, "rutiner": true, "aktivt": true,
	"regelbundet": true, "delta": true, "deltar": true, "närvara": true, "öka": true, "minska": true,
	"sina": true, "sitt": true, "täta": true, "stärka": true, "fortsatt": true, "verka": true,
	"erbjuda": true, "erbjuder": true, "ansvara": true, "ansvarar": true, "sociala": true,
}

// ownerHeadingRe is a heading that names who, not what: "Polisens
// åtaganden", "Kommunen lovar", "Gemensamma åtaganden".
var ownerHeadingRe = regexp.MustCompile(`(?i)^(polisen\p{L}*|polismyndigheten\p{L}*|kommunen\p{L}*|[\p{L}-]+ kommuns?|gemensamma|gemensamt|tillsammans|båda parter(na)?|polisen och kommunen)( (åtaganden|åtar sig|lovar|ska|gör|gemensamt|åtagande))?( att)?:?$`)

// headerWords name the columns of a table of commitments.
var (
	colText  = regexp.MustCompile(`(?i)aktivitet|åtagande|vad|insats|löfte|beskrivning`)
	colOwner = regexp.MustCompile(`(?i)ansvar|vem|part|utförare`)
	colFreq  = regexp.MustCompile(`(?i)när|frekvens|omfattning|antal|hur ofta|mål|tidpunkt`)
	colArea  = regexp.MustCompile(`(?i)område|brottsområde|fokus`)
)

// fold gives an id's form of a word: lower case, å ä → a, ö → o, other
// letters outside a–z dropped or replaced by sep.
func fold(s string, sep rune) string {
	var b strings.Builder
	last := sep
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'å', 'ä', 'á', 'à', 'â':
			r = 'a'
		case 'ö', 'ó', 'ò', 'ô', 'ø':
			r = 'o'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'ü', 'ú':
			r = 'u'
		case 'í', 'ï':
			r = 'i'
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			last = r
			continue
		}
		if last != sep {
			b.WriteRune(sep)
			last = sep
		}
	}
	return strings.Trim(b.String(), string(sep))
}
