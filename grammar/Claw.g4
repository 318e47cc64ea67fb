// The claw language: the single source of truth for its syntax.
//
// The shape is chosen for cheap prediction: every top-level item starts with
// its own keyword, and inside a block every member starts with a key whose
// next token (`=`, `{`, `.`, a label) decides the form. Newlines are plain
// whitespace; `;` or `,` may separate members on one line.
//
// The compiler feeds this parser from a hand-written lexer (compiler/syntax/
// lexer.cpp) that must produce exactly the tokens of the lexer rules below;
// tests/unit/lexer_equivalence_test.cpp holds the two to that.
grammar Claw;

file : topItem* EOF ;

topItem
  : importDecl
  | letDecl
  | typeDecl
  | enumDecl
  | templateDecl
  | decl
  | SEMI
  ;

// import "path/to/file.claw" | import "./folder" | import "std/charts"
importDecl : IMPORT STRING ;

// let name (: type)? = expr
letDecl : LET ident (COLON typeExpr)? ASSIGN expr ;

// enum name { a, b, c }
enumDecl : ENUM ident LBRACE (ident (SEMI | COMMA)?)* RBRACE ;

// type name (shorthand-field)? (: parent)? { field: type (= default)? ... }
typeDecl : TYPE ident (LPAREN shorthand=ident RPAREN)? (COLON parent=ident)? LBRACE (fieldDecl (SEMI | COMMA)?)* RBRACE ;

fieldDecl : key (COLON typeExpr)? (ASSIGN expr)? ;

// template name(param: type = default, ...) kind { body }
templateDecl : TEMPLATE ident LPAREN (param (COMMA param)* COMMA?)? RPAREN declKind block ;

param : ident COLON typeExpr (ASSIGN expr)? ;

// kind name (= source(args))? { body }
// chart NAME = TYPE { ... } | resource NAME = TYPE { ... } | service NAME = TEMPLATE(args) { ... }
decl : declKind ident (ASSIGN source=ident (LPAREN args? RPAREN)?)? block? ;

declKind : CLUSTER | MACHINE | ROLE | SERVICE | JOB | CRON | DAEMON | CHART | SECRET | RESOURCE ;

// Separators are tokens, not a rule: one rule invocation fewer per member.
block : LBRACE (member (SEMI | COMMA)?)* RBRACE ;

// a = 1 | a.b.c = 1 | a { ... } | port http = 80 | volume data { ... }
// | gpu "RTX PRO 4500" x 2 { ... } | taint "k=v:NoSchedule"
member : key (DOT key)* (ASSIGN expr | block | label repeat? (ASSIGN expr | block)?) ;

label : ident | STRING ;

repeat : X INT ;

key : ident | STRING ;

typeExpr : typeAtom QUESTION? ;

typeAtom
  : LBRACK typeExpr RBRACK                       // list
  | LBRACE typeExpr COLON typeExpr RBRACE         // map
  | ident (LPAREN lo=expr? RANGE hi=expr? RPAREN)? // named type, with an optional range
  ;

// One left-recursive rule (ANTLR turns it into precedence climbing): a plain
// value costs two rule invocations, not one per precedence level. Earlier
// alternatives bind tighter.
expr
  : primary                          # primaryExpr
  | expr DOT key                     # fieldExpr
  | expr LBRACK expr RBRACK          # indexExpr
  | MINUS expr                       # negExpr
  | expr op=(STAR | SLASH) expr      # mulExpr
  | expr op=(PLUS | MINUS) expr      # addExpr
  ;

primary
  : INT
  | FLOAT
  | QUANTITY
  | STRING
  | TRUE_LIT
  | FALSE_LIT
  | NULL_LIT
  | ident (LPAREN args? RPAREN | block)?   // reference, call, or typed record
  | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK
  | block
  | LPAREN expr RPAREN
  ;

args : arg (COMMA arg)* COMMA? ;

arg : (ident ASSIGN)? expr ;

// Keywords are reserved only where they start a top-level item; elsewhere
// (field names, calls such as secret(...), type names) they are plain names.
ident
  : IDENT | X | IMPORT | LET | TYPE | ENUM | TEMPLATE
  | CLUSTER | MACHINE | ROLE | SERVICE | JOB | CRON | DAEMON | CHART | SECRET | RESOURCE
  ;

// ---------------------------------------------------------------- lexer

IMPORT   : 'import' ;
LET      : 'let' ;
TYPE     : 'type' ;
ENUM     : 'enum' ;
TEMPLATE : 'template' ;
CLUSTER  : 'cluster' ;
MACHINE  : 'machine' ;
ROLE     : 'role' ;
SERVICE  : 'service' ;
JOB      : 'job' ;
CRON     : 'cron' ;
DAEMON   : 'daemon' ;
CHART    : 'chart' ;
SECRET   : 'secret' ;
RESOURCE : 'resource' ;
TRUE_LIT : 'true' ;
FALSE_LIT: 'false' ;
NULL_LIT : 'null' ;
X        : 'x' ;

LBRACE   : '{' ;
RBRACE   : '}' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
ASSIGN   : '=' ;
COLON    : ':' ;
SEMI     : ';' ;
COMMA    : ',' ;
RANGE    : '..' ;
DOT      : '.' ;
QUESTION : '?' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;

// 1.5, 24GiB, 500m, 30s, 2.5GB: a number with a unit suffix is one token;
// which units exist is the checker's business, so it can say "did you mean".
QUANTITY : DIGITS ('.' DIGITS)? [a-zA-Z]+ ;
FLOAT    : DIGITS '.' DIGITS ;
INT      : DIGITS ;

// Names may contain hyphens (Kubernetes names) but not end with one.
IDENT    : [a-zA-Z_] ([a-zA-Z0-9_-]* [a-zA-Z0-9_])? ;

// "..." with escapes and ${...} interpolation (split by the tree builder), or
// """...""" spanning lines.
STRING   : '"""' .*? '"""'
         | '"' (ESC | ~["\\\r\n])* '"'
         ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS            : [ \t\r\n]+ -> channel(HIDDEN) ;

// Error tokens: the lexer never fails; the parser turns these into
// diagnostics that say what is wrong in words.
UNTERMINATED_STRING  : '"' (ESC | ~["\\\r\n])* ;
// Matches only a comment with no closing '*/' before the end of the file.
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;
ERROR_CHAR           : . ;

fragment DIGITS : [0-9]+ ('_' [0-9]+)* ;
fragment ESC    : '\\' . ;
