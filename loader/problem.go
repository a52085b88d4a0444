package loader

// ProblemKind classifies what the loader found wrong with an input. Each
// kind is reported under its own rule (DA001–DA006).
type ProblemKind uint8

// The kinds of input problem. All of them make kubectl or the API server
// refuse the object.
const (
	// SyntaxError: the YAML or JSON does not parse, or a document
	// separator line carries content.
	SyntaxError ProblemKind = iota + 1
	// UnknownField: strict decoding (kubectl's default) rejects a field the
	// type does not have.
	UnknownField
	// DuplicateKey: a mapping key appears twice.
	DuplicateKey
	// WrongType: a value of the wrong JSON type for its field.
	WrongType
	// InvalidQuantity: a resource quantity that does not parse.
	InvalidQuantity
	// UnservedVersion: a known kind under an apiVersion that the API server
	// no longer serves, or a workload without apiVersion.
	UnservedVersion
	// UnknownKind: a kind that a built-in API group does not have ("no
	// matches for kind"), often a misspelling.
	UnknownKind
)

// Problem is one input error the loader found, with its position.
type Problem struct {
	Kind    ProblemKind
	Path    string // field path within the object, when known
	Node    *Node  // the offending node, when known
	Line    int    // position when there is no node (syntax errors)
	Col     int
	Message string
	// Repeated marks a duplicate key whose value repeats the earlier one:
	// nothing is lost, so it is reported at info severity.
	Repeated bool
	// Replacement, when set, is the value that would fix Node (a scalar:
	// a value, or a key to rename); FixMessage says what the fix does, and
	// FixUnsafe marks a fix that may change what the author meant (see
	// rules.Applicability).
	Replacement *Scalar
	FixMessage  string
	FixUnsafe   bool
}
