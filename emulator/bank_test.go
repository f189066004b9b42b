package emulator

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parsePackage parses the package's non-test files.
func parsePackage(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// receiverType is the name of fn's receiver type ("" for a function).
func receiverType(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return ""
	}
	typ := fn.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// structFields returns the field names of the named struct types.
func structFields(files []*ast.File, types ...string) map[string]bool {
	fields := map[string]bool{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok || !containsString(types, ts.Name.Name) {
				return true
			}
			for _, field := range st.Fields.List {
				for _, name := range field.Names {
					fields[name.Name] = true
				}
			}
			return true
		})
	}
	return fields
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// The bank is the state apart from HTTP (issue 7), and arrows point one
// way, handlers → bank: no bank method sees a request or a response
// writer; nothing outside the bank takes its lock, reads or writes its
// state directly, or calls the building blocks that expect the lock held
// (…Locked); and the only code that drops a stored transaction's cached
// encodings is the one mutate helper, so no change can forget to.
func TestBankIsApartFromHTTP(t *testing.T) {
	fset, files := parsePackage(t)
	state := structFields(files, "bank", "state")
	lockedOps := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && receiverType(fn) == "bank" && strings.HasSuffix(fn.Name.Name, "Locked") {
				lockedOps[fn.Name.Name] = true
			}
		}
	}
	if len(lockedOps) == 0 || !state["mu"] || !state["accounts"] {
		t.Fatal("found no bank state or operations: has the bank moved?")
	}
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			where := fset.Position(fn.Pos()).Filename + ": " + fn.Name.Name
			inBank := receiverType(fn) == "bank"
			if inBank {
				sig := signatureString(fn.Type)
				if strings.Contains(sig, "http.Request") || strings.Contains(sig, "http.ResponseWriter") {
					t.Errorf("%s: a bank operation takes or returns HTTP types (%s); parse in the handler and pass values", where, sig)
				}
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					inner, ok := n.X.(*ast.SelectorExpr)
					if !inBank && ok && inner.Sel.Name == "bank" && state[n.Sel.Name] {
						t.Errorf("%s touches the bank's %s directly; call a bank operation", where, n.Sel.Name)
					}
				case *ast.CallExpr:
					sel, ok := n.Fun.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					if !inBank && lockedOps[sel.Sel.Name] {
						t.Errorf("%s calls %s, which expects the bank's lock held; call a bank operation", where, sel.Sel.Name)
					}
					if sel.Sel.Name == "changed" && fn.Name.Name != "updateTransactionLocked" {
						t.Errorf("%s calls changed(); change stored transactions through updateTransactionLocked", where)
					}
				}
				return true
			})
		}
	}
}

// signatureString prints the parameter and result types of a function type.
func signatureString(typ *ast.FuncType) string {
	var b strings.Builder
	for _, list := range []*ast.FieldList{typ.Params, typ.Results} {
		if list == nil {
			continue
		}
		for _, field := range list.List {
			b.WriteString(exprString(field.Type))
			b.WriteString(" ")
		}
	}
	return b.String()
}

// exprString prints the type expressions a signature uses.
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return "*" + exprString(e.X)
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.ArrayType:
		return "[]" + exprString(e.Elt)
	case *ast.MapType:
		return "map[" + exprString(e.Key) + "]" + exprString(e.Value)
	case *ast.FuncType:
		return "func(" + signatureString(e) + ")"
	case *ast.Ellipsis:
		return "..." + exprString(e.Elt)
	case *ast.IndexExpr:
		return exprString(e.X) + "[" + exprString(e.Index) + "]"
	}
	return "?"
}

// Every change to a stored transaction goes through updateTransactionLocked,
// which drops its cached encodings: SettleTransaction once changed a
// transaction without doing so and served the old JSON. Writing a field of
// a *transaction is allowed only inside a function literal handed to
// updateTransactionLocked, on a transaction built in the same function (a
// literal not yet stored), or on the path that stores a new transaction.
func TestTransactionsChangeOnlyThroughTheMutateHelper(t *testing.T) {
	fset, files := parsePackage(t)
	// The standard library comes from export data; the module's own
	// packages cannot be found that way, and the package's types do not
	// depend on them, so their import errors are tolerated.
	var typeErrs []error
	conf := types.Config{Importer: importer.Default(), Error: func(err error) { typeErrs = append(typeErrs, err) }}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	_, _ = conf.Check("emulator", fset, files, info)
	for _, err := range typeErrs {
		if msg := err.Error(); !strings.Contains(msg, "github.com/monzokit/monzo/") && !strings.Contains(msg, "weburl") {
			t.Fatalf("type-checking the package: %v", err)
		}
	}
	isTransaction := func(e ast.Expr) bool {
		typ := info.Types[e].Type
		if p, ok := typ.(*types.Pointer); ok {
			typ = p.Elem()
		}
		named, ok := typ.(*types.Named)
		return ok && named.Obj().Name() == "transaction"
	}
	storePath := map[string]bool{"insertTransactionLocked": true, "addTransactionLocked": true}
	checked := 0
	for _, f := range files {
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || storePath[fn.Name.Name] {
				continue
			}
			var updates []*ast.FuncLit       // change funcs of updateTransactionLocked
			fresh := map[types.Object]bool{} // transactions built here
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "updateTransactionLocked" {
						for _, arg := range n.Args {
							if lit, ok := arg.(*ast.FuncLit); ok {
								updates = append(updates, lit)
							}
						}
					}
				case *ast.AssignStmt:
					// tx := &transaction{…}, or *tx = transaction{…} on a
					// slot not yet stored.
					for i, lhs := range n.Lhs {
						if i >= len(n.Rhs) {
							break
						}
						rhs := n.Rhs[i]
						if u, ok := rhs.(*ast.UnaryExpr); ok {
							rhs = u.X
						}
						if _, ok := rhs.(*ast.CompositeLit); !ok {
							continue
						}
						if star, ok := lhs.(*ast.StarExpr); ok {
							lhs = star.X
						}
						id, ok := lhs.(*ast.Ident)
						if !ok {
							continue
						}
						if obj := info.Defs[id]; obj != nil {
							fresh[obj] = true
						} else if obj := info.Uses[id]; obj != nil {
							fresh[obj] = true
						}
					}
				}
				return true
			})
			inUpdate := func(p token.Pos) bool {
				for _, lit := range updates {
					if lit.Pos() <= p && p < lit.End() {
						return true
					}
				}
				return false
			}
			check := func(target ast.Expr) {
				if idx, ok := target.(*ast.IndexExpr); ok {
					target = idx.X // tx.Metadata[k] = v changes tx too
				}
				sel, ok := target.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name == "enc" {
					return // enc is the cache itself
				}
				id, ok := sel.X.(*ast.Ident)
				if !ok || !isTransaction(id) {
					return
				}
				checked++
				if inUpdate(sel.Pos()) || fresh[info.Uses[id]] {
					return
				}
				t.Errorf("%s: %s changes %s.%s outside updateTransactionLocked: its cached JSON would be served stale",
					fset.Position(sel.Pos()), fn.Name.Name, id.Name, sel.Sel.Name)
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for _, lhs := range n.Lhs {
						check(lhs)
					}
				case *ast.IncDecStmt:
					check(n.X)
				}
				return true
			})
		}
	}
	if checked == 0 {
		t.Fatal("found no writes to transactions at all: has the model moved?")
	}
}
