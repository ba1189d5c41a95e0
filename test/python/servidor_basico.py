# The tutorial's "Servidor Básico", unchanged on the wire: accepts ONE connection, sends the welcome and
# closes. Port (0: the system chooses) and host come from argv; the bound address is printed first.
import socket
import sys

porta = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
host = sys.argv[2] if len(sys.argv) > 2 else 'localhost'

# Criar um socket TCP/IP
servidor = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

# Vincular o socket a um endereço e porta
endereco = (host, porta)
servidor.bind(endereco)

# Escutar por conexões (máximo de 1 conexão na fila)
servidor.listen(1)
print(f'listening on {host}:{servidor.getsockname()[1]}', flush=True)

# Aguardar por uma conexão
conexao, endereco_cliente = servidor.accept()
print(f'Conexão estabelecida com {endereco_cliente}')

# Enviar mensagem
mensagem = 'Bem-vindo ao servidor!'
conexao.send(mensagem.encode('utf-8'))

# Fechar a conexão
conexao.close()
servidor.close()
