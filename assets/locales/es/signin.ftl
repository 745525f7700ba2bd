# La pantalla bloqueada, la de salir, el registro del primer gerente y todo campo de PIN.

signin-title-locked = BLOQUEADO: elija su nombre y escriba su PIN
signin-title-quit = SALIR DEL KIOSCO: firma un gerente
signin-staff = Empleados
signin-disabled = desactivado
signin-role-clerk = empleado
signin-role-manager = gerente
signin-pin-for = PIN de { $name }:{" "}
signin-selected = Elegido:{" "}
signin-press-enter = {"   "}pulse Enter para escribir el PIN
signin-keys-choose = ↑↓ o número: elegir   Enter PIN   F10 salir (gerente)   F1 ayuda
signin-keys-choose-manager = ↑↓ o número: elija un gerente   Enter: PIN   Esc volver
signin-keys-pin = escriba el PIN y Enter   Esc elegir a otra persona
signin-manager-to-quit = Para salir del kiosco, un gerente escribe su PIN.
signin-only-manager-quits = Solo un gerente puede salir del kiosco.
signin-signed-in = Sesión iniciada: { $name }.
signin-enrolled = { $name } es el gerente número { $id }. Inicie sesión con el PIN nuevo.

signin-enrol-title = BIENVENIDO: registre al primer gerente
signin-enrol-intro-1 = Este kiosco aún no tiene empleados. La primera persona registrada es gerente
signin-enrol-intro-2 = y después puede agregar a los demás empleados.
signin-enrol-name = Nombre:
signin-enrol-pin = PIN:
signin-enrol-pin-again = Repita el PIN:
signin-enrol-language = Idioma:
signin-enrol-language-value = { $language }   (F3: { $other })
signin-enrol-language-chosen = Idioma: { $language }. El mostrador se lo hablará al iniciar sesión.
signin-enrol-remember = Nadie puede leer un PIN, ni siquiera un gerente: memorícelo.
signin-enrol-keys = Tab otro campo   Enter siguiente / registrar   F3 idioma   F10 salir
signin-enrol-leave = ¿Salir? Aún no hay nadie registrado. F10 o y: salir del kiosco; otra tecla: seguir.
signin-enrol-staying = Seguimos: registre al primer gerente.

signin-name-empty = el nombre no puede quedar vacío
signin-name-too-long = el nombre tiene como máximo { $max } caracteres
signin-name-disguising = el nombre no puede llevar { $what }: los caracteres invisibles, de control o de dirección podrían disfrazarlo
signin-name-taken = { $existing } (empleado número { $id }) ya tiene ese nombre: agregue una inicial para distinguirlos

signin-pin-rules = Reglas del PIN: de { $min } a { $max } dígitos; nada común, ni un dígito repetido, ni una serie como 123456.
signin-pin-not-digits = el PIN lleva solo dígitos
signin-pin-too-short = el PIN lleva al menos { $min } dígitos
signin-pin-too-long = el PIN lleva como máximo { $max } dígitos
signin-pin-too-common = ese PIN es muy fácil de adivinar (un PIN común, un dígito repetido o una serie como 123456)
signin-pin-mismatch = los dos PIN no coinciden
signin-pin-checking = comprobando { $spinner }
signin-pin-empty-enter = Primero escriba su PIN y luego pulse Enter (no se gastó ningún intento).
signin-pin-wrong = número de empleado o PIN incorrecto
signin-pin-wrong-warned = número de empleado o PIN incorrecto: { $tries ->
    [one] queda { $tries } intento
   *[other] quedan { $tries } intentos
} antes de una espera de { $wait }
signin-pin-wait-seconds = { $seconds } s
signin-pin-wait-minutes = { $minutes } min
signin-pin-locked-out = demasiados PIN incorrectos: vuelva a intentarlo a las { $until }
signin-pin-disabled = esta cuenta está desactivada; un gerente debe asignarle un PIN nuevo
signin-pin-kiosk-locked = demasiados PIN incorrectos en este kiosco: solo un gerente puede iniciar sesión hasta las { $until }
